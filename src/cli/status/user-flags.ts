import { carriedFlags } from "../carry-flags.js";
import type { CommandContext } from "../context.js";

/**
 * A command aiplat prints as a fix, with the user's own --env, --kubeconfig, --context and --root
 * carried over (kept for callers that import it from here; the rule lives in carry-flags.ts).
 */
export function commandWithFlags(ctx: CommandContext, command: string): string {
  return `${command}${carriedFlags(ctx.globals)}`;
}
