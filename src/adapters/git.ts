import { isAbsolute, join } from "node:path";
import { ExternalError } from "../core/errors.js";
import { commitFailure, presentCommitHooks } from "./git-commit-failure.js";
import { restoreFiles, restoreIndex, snapshotFiles, snapshotIndex } from "./git-index.js";
import type { ProcessRunner, RunResult } from "./process.js";

export interface PushResult {
  ok: boolean;
  /** git's own words when the push was refused (non-fast-forward, auth, no upstream). */
  message: string;
}

export interface CommitOptions {
  /** Run the repository's commit hooks (default). false is `git commit --no-verify`. */
  verify?: boolean;
}

export interface FetchResult {
  ok: boolean;
  /** The fetched branch's tip when ok. */
  tip: string | undefined;
  message: string;
}

/** The git working copy aiplat commits to: the platform repository (a user's fork). */
export interface Git {
  readonly cwd: string;
  isRepository(): Promise<boolean>;
  /** URL of a remote, or undefined when it does not exist. */
  remoteUrl(name?: string): Promise<string | undefined>;
  /** Current branch name, or undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
  /** The upstream of the current branch as {remote, branch}, or undefined when none is set. */
  upstream(): Promise<{ remote: string; branch: string } | undefined>;
  headCommit(): Promise<string>;
  /**
   * Stage and commit exactly these paths; anything else staged stays staged and uncommitted. On
   * any failure the index is restored byte for byte and the error says why (hook, signing, …).
   */
  commitPaths(paths: readonly string[], message: string, options?: CommitOptions): Promise<string>;
  /** `git rm` these paths and commit only them (same guarantees as commitPaths). */
  removeAndCommit(paths: readonly string[], message: string, options?: CommitOptions): Promise<string>;
  /** Push `source` (default HEAD) to refs/heads/<branch> of the remote. */
  push(remote: string, branch: string, source?: string): Promise<PushResult>;
  /** Fetch one branch of a remote (FETCH_HEAD and its remote-tracking ref). */
  fetch(remote: string, branch: string): Promise<FetchResult>;
  /** Whether `ancestor` is reachable from `descendant`. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Absolute path of a file in the git directory (`git rev-parse --git-path`), e.g. "index", "MERGE_HEAD". */
  gitPath(name: string): Promise<string>;
  /** The directory shared by all worktrees of the repository. */
  commonDir(): Promise<string>;
  /** Any git command; a non-zero exit is a result (for plumbing the interface does not name). */
  raw(args: readonly string[], env?: Record<string, string>): Promise<RunResult>;
  /** Whether a path has uncommitted changes (staged or not) or is untracked. */
  isDirty(path: string): Promise<boolean>;
}

export function createGit(runner: ProcessRunner, cwd: string): Git {
  const git = async (args: readonly string[], allowFailure = false, env: Record<string, string> = {}) => {
    const result = await runner.run("git", args, {
      cwd,
      // Never let git open an editor or a credential prompt: aiplat may run without a TTY.
      env: { GIT_TERMINAL_PROMPT: "0", GIT_EDITOR: "true", ...env },
    });
    if (result.exitCode !== 0 && !allowFailure) {
      throw new ExternalError(`git ${args[0]} failed: ${(result.stderr || result.stdout).trim()}`, {
        code: "git-failed",
        details: { command: `git ${args.join(" ")}`, exitCode: result.exitCode },
      });
    }
    return result;
  };

  const absolute = (path: string) => (isAbsolute(path) ? path : join(cwd, path));
  const gitPath = async (name: string) =>
    absolute((await git(["rev-parse", "--git-path", name])).stdout.trim());

  /** Stage with `stage`, then commit --only the paths; restore the index if anything fails. */
  const commitOnly = async (
    stage: readonly string[],
    paths: readonly string[],
    message: string,
    options: CommitOptions,
  ) => {
    const verify = options.verify !== false;
    const snapshot = snapshotIndex(await gitPath("index"));
    const files = snapshotFiles(cwd, paths);
    const staged = await git([...stage, "--", ...paths], true);
    const committed =
      staged.exitCode === 0
        ? await git(
            [
              "commit",
              "--quiet",
              ...(verify ? [] : ["--no-verify"]),
              "--only",
              "-m",
              message,
              "--",
              ...paths,
            ],
            true,
          )
        : staged;
    if (committed.exitCode !== 0) {
      const restored = restoreIndex(snapshot);
      restoreFiles(files); // `git rm` deleted them
      const hooks = presentCommitHooks(await gitPath("hooks"));
      const output = `${committed.stderr}\n${committed.stdout}`.trim();
      throw commitFailure(output, { hooks, verify, restored, paths });
    }
    return (await git(["rev-parse", "HEAD"])).stdout.trim();
  };

  return {
    cwd,
    async isRepository() {
      const result = await git(["rev-parse", "--is-inside-work-tree"], true);
      return result.exitCode === 0 && result.stdout.trim() === "true";
    },
    async remoteUrl(name = "origin") {
      const result = await git(["remote", "get-url", name], true);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async currentBranch() {
      const result = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], true);
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async upstream() {
      const result = await git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], true);
      if (result.exitCode !== 0) return undefined;
      const full = result.stdout.trim();
      const slash = full.indexOf("/");
      return slash > 0 ? { remote: full.slice(0, slash), branch: full.slice(slash + 1) } : undefined;
    },
    async headCommit() {
      return (await git(["rev-parse", "HEAD"])).stdout.trim();
    },
    // --only commits the named paths alone, whatever else the index holds.
    commitPaths: (paths, message, options = {}) => commitOnly(["add"], paths, message, options),
    removeAndCommit: (paths, message, options = {}) => commitOnly(["rm", "--quiet"], paths, message, options),
    async push(remote, branch, source = "HEAD") {
      const result = await git(["push", "--porcelain", remote, `${source}:refs/heads/${branch}`], true);
      return { ok: result.exitCode === 0, message: (result.stderr || result.stdout).trim() };
    },
    async fetch(remote, branch) {
      const result = await git(["fetch", "--quiet", remote, `refs/heads/${branch}`], true);
      if (result.exitCode !== 0) return { ok: false, tip: undefined, message: result.stderr.trim() };
      const tip = (await git(["rev-parse", "FETCH_HEAD"])).stdout.trim();
      return { ok: true, tip, message: "" };
    },
    async isAncestor(ancestor, descendant) {
      return (await git(["merge-base", "--is-ancestor", ancestor, descendant], true)).exitCode === 0;
    },
    gitPath,
    async commonDir() {
      return absolute((await git(["rev-parse", "--git-common-dir"])).stdout.trim());
    },
    raw: (args, env) => git(args, true, env),
    async isDirty(path) {
      const result = await git(["status", "--porcelain", "--", path]);
      return result.stdout.trim() !== "";
    },
  };
}
