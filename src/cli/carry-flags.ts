import type { GlobalOptions } from "./context.js";

/** Quotes a value for a POSIX shell only when it needs it, so hints stay readable. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * The global flags the user gave that decide *where* a command acts (--env, --kubeconfig,
 * --context, --root), as a suffix for a printed command: a hint that drops them would act on
 * another environment or cluster than the one the user was looking at.
 */
export function carriedFlags(
  globals: Pick<GlobalOptions, "env" | "kubeconfig" | "context" | "root">,
): string {
  const flags: string[] = [];
  if (globals.env !== undefined) flags.push(`--env ${shellWord(globals.env)}`);
  if (globals.kubeconfig !== undefined) flags.push(`--kubeconfig ${shellWord(globals.kubeconfig)}`);
  if (globals.context !== undefined) flags.push(`--context ${shellWord(globals.context)}`);
  if (globals.root !== undefined) flags.push(`--root ${shellWord(globals.root)}`);
  return flags.map((f) => ` ${f}`).join("");
}

/** `aiplat <command>` with the user's own --env/--kubeconfig/--context/--root carried over. */
export function aiplatCommand(
  globals: Pick<GlobalOptions, "env" | "kubeconfig" | "context" | "root">,
  command: string,
): string {
  return `aiplat ${command}${carriedFlags(globals)}`;
}

/** `kubectl <args>` reaching the cluster the user chose with --kubeconfig/--context (kubectl's flags too). */
export function kubectlCommand(globals: Pick<GlobalOptions, "kubeconfig" | "context">, args: string): string {
  const flags: string[] = [];
  if (globals.kubeconfig !== undefined) flags.push(`--kubeconfig ${shellWord(globals.kubeconfig)}`);
  if (globals.context !== undefined) flags.push(`--context ${shellWord(globals.context)}`);
  return ["kubectl", ...flags, args].join(" ");
}
