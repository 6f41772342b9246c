/**
 * Committing exactly one workload path and pushing it to the branch ArgoCD follows. Other staged
 * or modified files are never part of the commit (Git.commitPaths commits --only that path).
 */
import type { Git } from "../../adapters/git.js";
import { ConfigError, ExternalError } from "../../core/errors.js";

export interface PushTarget {
  remote: string;
  branch: string;
}

/** The upstream of the current branch, else origin/<current branch>. */
export async function resolvePushTarget(git: Git): Promise<PushTarget> {
  const upstream = await git.upstream();
  if (upstream) return upstream;
  const branch = await git.currentBranch();
  if (!branch) {
    throw new ConfigError("HEAD is detached: there is no branch to commit the workload to.", {
      code: "detached-head",
      hint: "Check out the branch ArgoCD follows (e.g. `git switch main`), then run the command again.",
    });
  }
  return { remote: "origin", branch };
}

export async function ensureRepository(git: Git): Promise<void> {
  if (!(await git.isRepository())) {
    throw new ConfigError(`${git.cwd} is not a git working copy: ArgoCD deploys what is pushed.`, {
      code: "not-a-repository",
      hint: "Run aiplat inside your clone of the platform repository (or pass --root).",
    });
  }
}

/**
 * Pushes HEAD to the target. A rejected push keeps the commit and throws an error that says how to
 * recover; `resume` is the command that continues afterwards.
 */
export async function pushCommit(
  git: Git,
  target: PushTarget,
  commit: string,
  resume: string,
): Promise<void> {
  const result = await git.push(target.remote, target.branch);
  if (result.ok) return;
  throw new ExternalError(
    `Committed ${commit.slice(0, 7)} locally, but the push to ${target.remote}/${target.branch} was rejected: ${result.message}`,
    {
      code: "push-rejected",
      hint: `The commit is kept. Bring your branch up to date and push it: \`git pull --rebase ${target.remote} ${target.branch} && git push ${target.remote} HEAD:${target.branch}\`, then \`${resume}\`.`,
      details: { commit, remote: target.remote, branch: target.branch },
    },
  );
}
