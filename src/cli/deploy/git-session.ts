/**
 * The frame around every commit-and-push aiplat makes: one aiplat at a time per repository (a run
 * that waits says what for), and no commit while git waits for the user in a merge or rebase.
 */
import type { Git } from "../../adapters/git.js";
import { withGitLock } from "../../adapters/git-lock.js";
import type { CommandContext } from "../context.js";
import { refuseOperationInProgress } from "./git-state.js";

export async function withRepository<T>(
  ctx: CommandContext,
  git: Git,
  command: string,
  work: () => Promise<T>,
): Promise<T> {
  await refuseOperationInProgress(git);
  return withGitLock(
    await git.commonDir(),
    { command, clock: ctx.clock, signal: ctx.signal, onWait: (message) => ctx.io.info(message) },
    async () => {
      // Checked again: a merge may have started while this run waited.
      await refuseOperationInProgress(git);
      return work();
    },
  );
}
