import { UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";

/**
 * Without --yes the user types the environment's name: a mismatch aborts before anything is
 * touched. Without a terminal (or with --json) there is no one to type it: --yes is required.
 */
export async function confirmEnvironment(ctx: CommandContext, what: string, resume: string): Promise<void> {
  if (ctx.globals.yes) return;
  if (!ctx.io.interactive) {
    throw new UsageError(
      `${what} needs the environment name typed to confirm, and there is no terminal to ask on.`,
      {
        code: "confirmation-needed",
        hint: `Review it with \`${resume} --dry-run\`, then run \`${resume} --yes\`.`,
      },
    );
  }
  const typed = await ctx.io.prompt.input({
    message: `${what}. Type the environment name (${ctx.env}) to go on:`,
    flag: "--yes",
  });
  if (typed.trim() !== ctx.env) {
    throw new UsageError(`"${typed.trim()}" is not ${ctx.env}: nothing was deleted.`, {
      code: "not-confirmed",
      hint: `Run \`${resume}\` again and type ${ctx.env}, or review with \`${resume} --dry-run\`.`,
    });
  }
}
