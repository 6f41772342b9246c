import type { CommandContext } from "../context.js";

/**
 * A command aiplat prints as a fix, with the user's own --env, --root, --kubeconfig and --context
 * carried over, so that running it reaches the same environment and cluster.
 */
export function commandWithFlags(ctx: CommandContext, command: string): string {
  const g = ctx.globals;
  const flags: string[] = [];
  if (g.env !== undefined) flags.push(`--env ${g.env}`);
  if (g.root !== undefined) flags.push(`--root ${quote(g.root)}`);
  if (g.kubeconfig !== undefined) flags.push(`--kubeconfig ${quote(g.kubeconfig)}`);
  if (g.context !== undefined) flags.push(`--context ${quote(g.context)}`);
  return flags.length === 0 ? command : `${command} ${flags.join(" ")}`;
}

function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
