/**
 * Committing exactly one workload path and pushing it to the branch ArgoCD follows. Other staged
 * or modified files are never part of the commit (Git.commitPaths commits --only that path).
 */
import type { Git } from "../../adapters/git.js";
import { ConfigError, ExternalError } from "../../core/errors.js";
import { replayCommit } from "./git-rebase.js";

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

/** How often a remote that keeps moving ahead is caught up with before giving up. */
const PUSH_ATTEMPTS = 3;

export interface Pushed {
  /** The commit now on the remote: `commit` itself, or it replayed on a remote that moved ahead. */
  commit: string;
  /** Set when the remote had moved ahead and the commit was replayed onto it. */
  replayedOnto: string | undefined;
  /** The local branch could not follow (the user's edits touch what the remote changed). */
  localBehind: boolean;
}

/**
 * Pushes `commit` (aiplat's commit of `paths`, at HEAD) to the target. A remote that already holds
 * it is a success (another run pushed it). A remote that moved ahead is caught up with by
 * replaying the commit onto it — the user's uncommitted changes do not matter — and the local
 * branch follows. Anything else keeps the commit and throws with a recovery that works with
 * uncommitted changes; `resume` is the command that continues afterwards.
 */
export async function pushCommit(
  git: Git,
  target: PushTarget,
  commit: string,
  paths: readonly string[],
  resume: string,
): Promise<Pushed> {
  // Replaying is only safe for aiplat's own commit at the tip of the branch.
  const atHead = (await git.raw(["rev-parse", "HEAD"])).stdout.trim() === commit;
  let current = commit;
  let replayedOnto: string | undefined;
  let message = "";
  for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
    const result = await git.push(target.remote, target.branch, current);
    if (result.ok) return { commit: current, replayedOnto, localBehind: await follow(git, commit, current) };
    message = result.message;
    const fetched = await git.fetch(target.remote, target.branch);
    if (!fetched.ok || !fetched.tip) break;
    if (await git.isAncestor(current, fetched.tip)) {
      return { commit: current, replayedOnto, localBehind: await follow(git, commit, current) };
    }
    const replayed = atHead ? await replayCommit(git, current, fetched.tip, paths) : undefined;
    if (!replayed) break;
    current = replayed;
    replayedOnto = fetched.tip;
  }
  throw new ExternalError(
    `Committed ${commit.slice(0, 7)} locally, but the push to ${target.remote}/${target.branch} was rejected: ${message}`,
    {
      code: "push-rejected",
      hint: `The commit is kept. Bring your branch up to date (your uncommitted changes are stashed and put back) and push it: \`git pull --rebase --autostash ${target.remote} ${target.branch} && git push ${target.remote} HEAD:${target.branch}\`, then \`${resume}\`.`,
      details: { commit, remote: target.remote, branch: target.branch },
    },
  );
}

/**
 * Moves the local branch from aiplat's commit to its replayed copy the way `git checkout` moves
 * between commits: a two-tree `read-tree -m -u` brings in the remote's changes and carries the
 * user's staged and unstaged changes over; it refuses when they overlap, and then the branch stays
 * where it was (a later `git pull --rebase` drops the duplicate commit).
 */
async function follow(git: Git, original: string, pushed: string): Promise<boolean> {
  if (original === pushed) return false;
  const head = (await git.raw(["rev-parse", "HEAD"])).stdout.trim();
  if (head !== original) return true;
  if ((await git.raw(["read-tree", "-m", "-u", original, pushed])).exitCode !== 0) return true;
  const moved = await git.raw([
    "update-ref",
    "-m",
    "aiplat: replayed onto the remote",
    "HEAD",
    pushed,
    original,
  ]);
  return moved.exitCode !== 0;
}

/** What the user should know when the commit was replayed onto a remote that moved ahead. */
export function replayLines(pushed: Pushed, pushedTo: string): string[] {
  if (!pushed.replayedOnto) return [];
  const lines = [
    `  ${pushedTo} had moved ahead (${pushed.replayedOnto.slice(0, 7)}): the commit was replayed onto it as ${pushed.commit.slice(0, 7)}.`,
  ];
  if (pushed.localBehind) {
    lines.push(
      "  Your branch still holds the original commit (your uncommitted changes touch what the remote changed): `git pull --rebase --autostash` brings it up to date.",
    );
  }
  return lines;
}
