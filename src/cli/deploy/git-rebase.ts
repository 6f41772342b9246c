/**
 * Replaying aiplat's own one-file commit on a remote that moved ahead, without touching the user's
 * work tree or index: the new tree is built in a private index file (plumbing only), so uncommitted
 * changes — which `git pull --rebase` refuses — do not matter.
 */

import { randomUUID } from "node:crypto";
import { existsSync, unlinkSync } from "node:fs";
import type { Git } from "../../adapters/git.js";

async function out(git: Git, args: string[], env?: Record<string, string>): Promise<string | undefined> {
  const result = await git.raw(args, env);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/**
 * `commit` replayed on `onto`, or undefined when that is not a plain replay: the commit's parent
 * is not in `onto`'s history (the branch holds other unpushed commits), or the remote changed one
 * of `paths` since (a real conflict the user must look at).
 */
export async function replayCommit(
  git: Git,
  commit: string,
  onto: string,
  paths: readonly string[],
): Promise<string | undefined> {
  const parent = await out(git, ["rev-parse", `${commit}^`]);
  if (!parent || !(await git.isAncestor(parent, onto))) return undefined;
  const touched = await out(git, ["diff", "--name-only", parent, onto, "--", ...paths]);
  if (touched === undefined || touched !== "") return undefined;

  const index = await git.gitPath(`aiplat-replay-${randomUUID()}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    if ((await out(git, ["read-tree", onto], env)) === undefined) return undefined;
    for (const path of paths) {
      const entry = await out(git, ["ls-tree", commit, "--", path]);
      if (entry === undefined) return undefined;
      // ls-tree prints "<mode> blob <object>\t<path>"; nothing when the commit removed the path.
      const [mode, , object] = (entry.split("\t")[0] ?? "").split(" ");
      const args =
        entry === ""
          ? ["update-index", "--force-remove", "--", path]
          : ["update-index", "--add", "--cacheinfo", `${mode},${object},${path}`];
      if ((await out(git, args, env)) === undefined) return undefined;
    }
    const tree = await out(git, ["write-tree"], env);
    const meta = await out(git, ["log", "-1", "--format=%an%x00%ae%x00%aI%x00%B", commit]);
    if (!tree || meta === undefined) return undefined;
    const [name = "", email = "", date = "", ...message] = meta.split("\0");
    return await out(git, ["commit-tree", tree, "-p", onto, "-m", message.join("\0").trim()], {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: date,
    });
  } finally {
    if (existsSync(index)) unlinkSync(index);
  }
}
