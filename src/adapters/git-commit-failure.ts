/**
 * Why `git commit` failed, in words a user can act on. git's own exit code does not say whether a
 * hook refused or signing failed, so the cause is read from its output and from which hooks exist.
 */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { ExternalError } from "../core/errors.js";

/** Hooks that run during `git commit` and may refuse it (githooks(5)). */
const COMMIT_HOOKS = ["pre-commit", "prepare-commit-msg", "commit-msg"];

export function presentCommitHooks(hooksDir: string): string[] {
  return COMMIT_HOOKS.filter((hook) => {
    try {
      accessSync(join(hooksDir, hook), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const SIGNING =
  /gpg failed to sign|failed to sign the data|cannot run gpg|error: cannot run ssh-keygen|signing failed|no secret key/i;

export function commitFailure(
  output: string,
  context: { hooks: string[]; verify: boolean; restored: boolean; paths: readonly string[] },
): ExternalError {
  const indexNote = context.restored
    ? "Nothing was committed; your index and work tree are as they were."
    : "Nothing was committed, but another git process held index.lock, so the index could not be restored: check `git status`.";
  const details = { output, paths: [...context.paths] };
  if (SIGNING.test(output)) {
    return new ExternalError(`git could not sign the commit: ${output}\n${indexNote}`, {
      code: "commit-signing-failed",
      hint: "This repository signs commits (commit.gpgsign). Make the signing key usable (unlock it or start its agent: `echo test | gpg --clearsign` shows the problem), then run the command again.",
      details,
    });
  }
  if (context.verify && context.hooks.length > 0) {
    return new ExternalError(
      `A git commit hook (${context.hooks.join(", ")}) refused the commit of ${context.paths.join(", ")}:\n${output}\n${indexNote}`,
      {
        code: "commit-hook-failed",
        hint: "Fix what the hook reports and run the command again, or skip the repository's hooks with --no-verify.",
        details,
      },
    );
  }
  return new ExternalError(`git commit failed: ${output}\n${indexNote}`, {
    code: "git-commit-failed",
    hint: "Run `git status` to see the repository's state, fix it, then run the command again.",
    details,
  });
}
