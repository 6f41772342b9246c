/**
 * Fork-aware GitOps: the repoURL and targetRevision ArgoCD syncs from are this clone's `origin`
 * remote (SSH converted to https, see core/init/repo-url.ts) and its current branch, unless
 * --repo-url / --revision say otherwise.
 */
import { readArgoRepoUrl } from "../../adapters/argocd-repo.js";
import type { Git } from "../../adapters/git.js";
import { ConfigError } from "../../core/errors.js";
import type { RawInit } from "../../core/init/raw-input.js";
import { convertRemoteUrl } from "../../core/init/repo-url.js";
import { checkRepoUrl, checkRevision } from "../../core/init/validate.js";
import type { CommandContext } from "../context.js";
import type { FieldResolver } from "./resolver.js";

export type RepoTarget =
  | { repoUrl: string; revision: string; note?: string | undefined }
  | { error: ConfigError };

/**
 * Runs before any other question, so a clone ArgoCD cannot sync from is known before the user
 * has typed anything. When origin cannot be used, the URL argocd/ already holds (a previous init)
 * is taken, a terminal is asked, and only otherwise is it an error.
 */
export async function resolveRepoTarget(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  root: string,
): Promise<RepoTarget> {
  const git = ctx.adapters.git(root);
  const notes: string[] = [];
  let revision = raw.revision;
  let error: ConfigError | undefined;
  const isRepository = await git.isRepository();
  if (!isRepository && (raw.repoUrl === undefined || revision === undefined)) {
    error = new ConfigError(
      `${root} is not a git clone: ArgoCD syncs the platform from your fork's remote and branch, which init reads from git.`,
      {
        code: "not-a-clone",
        hint: "Run aiplat init in a clone of your fork (git clone https://github.com/<you>/<repo>.git), or pass both --repo-url and --revision.",
      },
    );
  }
  let repoUrl: string | undefined;
  let fromOrigin = false;
  if (raw.repoUrl !== undefined) {
    repoUrl = cloneableUrl(r, raw.repoUrl, "--repo-url", notes);
  } else if (!error) {
    const remote = await git.remoteUrl("origin");
    const converted = remote === undefined ? undefined : convertRemoteUrl(remote);
    if (remote !== undefined && converted?.ok) {
      repoUrl = cloneableUrl(r, remote, "origin", notes);
      fromOrigin = true;
    } else {
      const unusable =
        remote === undefined
          ? `${root} has no git remote "origin"`
          : `the origin remote ${JSON.stringify(redactUrl(remote))} is not a URL ArgoCD can clone (a local path or an unknown scheme)`;
      const held = await readArgoRepoUrl(root);
      if (held !== undefined && checkRepoUrl(held) === true) {
        repoUrl = held;
        notes.push(`${unusable}: keeping the repository URL argocd/ already points at, ${held}`);
      } else if (r.interactive) {
        ctx.io.warn(`${unusable}; ArgoCD needs the URL of your fork.`);
        const typed = await ctx.io.prompt.input({
          flag: "--repo-url",
          message: "Repository URL ArgoCD syncs the platform from (https://host/owner/repo.git)",
          validate: (value) => {
            const url = convertRemoteUrl(value);
            return url.ok ? checkRepoUrl(url.url) : checkRepoUrl(value);
          },
        });
        repoUrl = cloneableUrl(r, typed, "--repo-url", notes);
      } else {
        error = new ConfigError(`Cannot point ArgoCD at this clone: ${unusable}.`, {
          code: remote === undefined ? "no-remote" : "bad-remote",
          hint:
            remote === undefined
              ? "Push your fork and add it: `git remote add origin https://github.com/<you>/<repo>.git`, or pass --repo-url <url>."
              : "Pass --repo-url https://<host>/<owner>/<repo>.git (the URL ArgoCD should clone).",
        });
      }
    }
  }
  if (revision !== undefined) {
    const verdict = checkRevision(revision);
    if (verdict !== true) r.reject("--revision", revision, verdict);
    // What origin holds is only known for origin's own URL (its remote-tracking refs).
    else if (fromOrigin || (repoUrl !== undefined && repoUrl === (await originUrl(git)))) {
      const missing = await revisionMissingOnOrigin(git, revision);
      if (missing !== undefined) r.reject("--revision", revision, missing);
    }
  } else if (!error) {
    revision = await git.currentBranch();
    if (revision === undefined) {
      error = new ConfigError("HEAD is detached: there is no current branch for ArgoCD to follow.", {
        code: "no-branch",
        hint: "Check out the branch ArgoCD should sync (`git switch main`), or pass --revision <branch>.",
      });
    } else if ((await git.upstream()) === undefined) {
      // ArgoCD reads the branch from the remote: a branch only in this clone cannot be synced.
      notes.push(
        `branch ${revision} is not on a remote yet: push it (git push -u origin ${revision}) before aiplat bootstrap`,
      );
    }
  }
  if (error) return { error };
  return {
    repoUrl: repoUrl ?? "",
    revision: revision ?? "",
    note: notes.length > 0 ? notes.join("; ") : undefined,
  };
}

/**
 * An SSH URL needs a private key registered in ArgoCD, which init cannot do: every URL is written
 * in its https form (see core/init/repo-url.ts), and the summary says so.
 */
function cloneableUrl(r: FieldResolver, given: string, what: string, notes: string[]): string | undefined {
  const flag = "--repo-url";
  const converted = convertRemoteUrl(given);
  const url = converted.ok ? converted.url : given;
  const verdict = checkRepoUrl(url);
  if (verdict !== true) {
    r.reject(flag, given, verdict);
    return undefined;
  }
  if (converted.ok && converted.converted)
    notes.push(
      `${what} ${redactUrl(given)} is written as ${url} (ArgoCD clones over https without an SSH key)`,
    );
  return url;
}

async function originUrl(git: Git): Promise<string | undefined> {
  const remote = await git.remoteUrl("origin");
  const converted = remote === undefined ? undefined : convertRemoteUrl(remote);
  return converted?.ok ? converted.url : undefined;
}

/**
 * Why ArgoCD could not find `revision` on origin (a branch, tag or commit it holds, as of the
 * last fetch), or undefined when it is there or origin has never been fetched (nothing to judge by).
 */
async function revisionMissingOnOrigin(git: Git, revision: string): Promise<string | undefined> {
  const listed = await git.raw(["for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin/"]);
  const branches = listed.stdout
    .split("\n")
    .map((b) => b.trim())
    .filter((b) => b !== "" && b !== "HEAD");
  if (listed.exitCode !== 0 || branches.length === 0) return undefined;
  if (branches.includes(revision)) return undefined;
  const tag = await git.raw(["rev-parse", "--verify", "--quiet", `refs/tags/${revision}^{commit}`]);
  if (tag.exitCode === 0) return undefined;
  if (/^[0-9a-f]{7,40}$/.test(revision)) {
    const on = await git.raw(["branch", "--remotes", "--list", "origin/*", "--contains", revision]);
    if (on.exitCode === 0 && on.stdout.trim() !== "") return undefined;
  }
  return `is not a branch, tag or commit of origin (branches there: ${branches.slice(0, 8).join(", ")}); push it first (git push origin ${revision}) or fetch (git fetch origin) if it is new`;
}

/** A remote may carry credentials (https://user:token@host/...): never show them. */
function redactUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]+@/, "$1***@");
}
