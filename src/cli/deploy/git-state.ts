/**
 * Repository states in which aiplat must not commit. Checked before anything is written, so a
 * refusal leaves the work tree and the index exactly as they were.
 */
import { existsSync } from "node:fs";
import type { Git } from "../../adapters/git.js";
import { ConfigError, UsageError } from "../../core/errors.js";

/** Markers git leaves in the git directory while an operation waits for the user (git-status(1)). */
const IN_PROGRESS = [
  { marker: "MERGE_HEAD", what: "a merge", finish: "git commit", abort: "git merge --abort" },
  { marker: "rebase-merge", what: "a rebase", finish: "git rebase --continue", abort: "git rebase --abort" },
  {
    marker: "rebase-apply",
    what: "a rebase or `git am`",
    finish: "git rebase --continue",
    abort: "git rebase --abort",
  },
  {
    marker: "CHERRY_PICK_HEAD",
    what: "a cherry-pick",
    finish: "git cherry-pick --continue",
    abort: "git cherry-pick --abort",
  },
  { marker: "REVERT_HEAD", what: "a revert", finish: "git revert --continue", abort: "git revert --abort" },
  { marker: "BISECT_LOG", what: "a bisect", finish: "git bisect reset", abort: "git bisect reset" },
] as const;

/** Refuses (exit 3) while a merge, rebase, cherry-pick, revert or bisect is in progress. */
export async function refuseOperationInProgress(git: Git): Promise<void> {
  for (const op of IN_PROGRESS) {
    if (!existsSync(await git.gitPath(op.marker))) continue;
    throw new ConfigError(
      `${op.what} is in progress in ${git.cwd}: aiplat commits nothing until it is finished (nothing was written).`,
      {
        code: "git-operation-in-progress",
        hint: `Finish it (\`${op.finish}\`) or abort it (\`${op.abort}\`), then run the command again.`,
        details: { operation: op.marker },
      },
    );
  }
}

/**
 * Refuses (exit 2) to overwrite a file that holds uncommitted edits: `--force` replaces the
 * declaration and would commit them without a word. The refusal shows the edits.
 */
export async function refuseLocalChanges(
  git: Git,
  path: string,
  /** What the command would do to the edits, e.g. "--force would commit them along with the new values". */
  consequence = "--force would commit them along with the new values",
): Promise<void> {
  const status = (await git.raw(["status", "--porcelain", "--", path])).stdout.trim();
  if (status === "") return;
  const untracked = status.startsWith("??");
  const diff = untracked
    ? ""
    : (await git.raw(["diff", "HEAD", "--no-color", "--unified=0", "--", path])).stdout
        .split("\n")
        .filter((line) => /^[+-](?![+-]{2} )/.test(line))
        .slice(0, 12)
        .join("\n");
  throw new UsageError(
    `${path} has uncommitted ${untracked ? "content (the file was never committed)" : "edits"}; ${consequence}${diff ? `:\n${diff}` : "."}`,
    {
      code: "workload-has-local-changes",
      hint: `Commit them (\`git commit ${path}\`) or drop them (\`${untracked ? `rm ${path}` : `git restore --staged --worktree ${path}`}\`), then run the command again.`,
      details: { path, status },
    },
  );
}
