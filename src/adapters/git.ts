import { ExternalError } from "../core/errors.js";
import type { ProcessRunner } from "./process.js";

export interface PushResult {
  ok: boolean;
  /** git's own words when the push was refused (non-fast-forward, auth, no upstream). */
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
  /** Stage and commit exactly these paths; anything else staged stays staged and uncommitted. */
  commitPaths(paths: readonly string[], message: string): Promise<string>;
  /** `git rm` these paths and commit only them. */
  removeAndCommit(paths: readonly string[], message: string): Promise<string>;
  push(remote: string, branch: string): Promise<PushResult>;
  /** Whether a path has uncommitted changes (staged or not) or is untracked. */
  isDirty(path: string): Promise<boolean>;
}

export function createGit(runner: ProcessRunner, cwd: string): Git {
  const git = async (args: string[], allowFailure = false) => {
    const result = await runner.run("git", args, {
      cwd,
      // Never let git open an editor or a credential prompt: aiplat may run without a TTY.
      env: { GIT_TERMINAL_PROMPT: "0", GIT_EDITOR: "true" },
    });
    if (result.exitCode !== 0 && !allowFailure) {
      throw new ExternalError(`git ${args[0]} failed: ${(result.stderr || result.stdout).trim()}`, {
        code: "git-failed",
        details: { command: `git ${args.join(" ")}`, exitCode: result.exitCode },
      });
    }
    return result;
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
    async commitPaths(paths, message) {
      await git(["add", "--", ...paths]);
      // --only commits the named paths alone, whatever else the index holds.
      await git(["commit", "--quiet", "--no-verify", "--only", "-m", message, "--", ...paths]);
      return (await git(["rev-parse", "HEAD"])).stdout.trim();
    },
    async removeAndCommit(paths, message) {
      await git(["rm", "--quiet", "--", ...paths]);
      await git(["commit", "--quiet", "--no-verify", "--only", "-m", message, "--", ...paths]);
      return (await git(["rev-parse", "HEAD"])).stdout.trim();
    },
    async push(remote, branch) {
      const result = await git(["push", "--porcelain", remote, `HEAD:refs/heads/${branch}`], true);
      return { ok: result.exitCode === 0, message: (result.stderr || result.stdout).trim() };
    },
    async isDirty(path) {
      const result = await git(["status", "--porcelain", "--", path]);
      return result.stdout.trim() !== "";
    },
  };
}
