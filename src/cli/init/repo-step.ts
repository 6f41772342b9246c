/**
 * Fork-aware GitOps: the repoURL and targetRevision ArgoCD syncs from are this clone's `origin`
 * remote (SSH converted to https, see core/init/repo-url.ts) and its current branch, unless
 * --repo-url / --revision say otherwise.
 */
import { ConfigError } from "../../core/errors.js";
import type { RawInit } from "../../core/init/raw-input.js";
import { convertRemoteUrl } from "../../core/init/repo-url.js";
import { checkRepoUrl, checkRevision } from "../../core/init/validate.js";
import type { CommandContext } from "../context.js";
import type { FieldResolver } from "./resolver.js";

export type RepoTarget =
  | { repoUrl: string; revision: string; note?: string | undefined }
  | { error: ConfigError };

export async function resolveRepoTarget(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  root: string,
): Promise<RepoTarget> {
  const git = ctx.adapters.git(root);
  let repoUrl = raw.repoUrl;
  let revision = raw.revision;
  let note: string | undefined;
  let error: ConfigError | undefined;
  const isRepository = await git.isRepository();
  if (!isRepository && (repoUrl === undefined || revision === undefined)) {
    error = new ConfigError(
      `${root} is not a git clone: ArgoCD syncs the platform from your fork's remote and branch, which init reads from git.`,
      {
        code: "not-a-clone",
        hint: "Run aiplat init in a clone of your fork (git clone https://github.com/<you>/<repo>.git), or pass both --repo-url and --revision.",
      },
    );
  }
  if (repoUrl !== undefined) {
    const verdict = checkRepoUrl(repoUrl);
    if (verdict !== true) r.reject("--repo-url", repoUrl, verdict);
  } else if (!error) {
    const remote = await git.remoteUrl("origin");
    if (remote === undefined) {
      error = new ConfigError(
        `${root} has no git remote "origin": ArgoCD must sync the platform from your fork, so it needs its URL.`,
        {
          code: "no-remote",
          hint: "Push your fork and add it: `git remote add origin https://github.com/<you>/<repo>.git`, or pass --repo-url <url>.",
        },
      );
    } else {
      const converted = convertRemoteUrl(remote);
      if (!converted.ok) {
        error = new ConfigError(`Cannot point ArgoCD at this clone: ${converted.reason}.`, {
          code: "bad-remote",
          hint: "Pass --repo-url https://<host>/<owner>/<repo>.git (the URL ArgoCD should clone).",
        });
      } else {
        repoUrl = converted.url;
        if (converted.converted)
          note = `origin ${redactUrl(remote)} is written as ${repoUrl} (ArgoCD clones over https without an SSH key)`;
        const verdict = checkRepoUrl(repoUrl);
        if (verdict !== true) r.reject("--repo-url", repoUrl, verdict);
      }
    }
  }
  if (revision !== undefined) {
    const verdict = checkRevision(revision);
    if (verdict !== true) r.reject("--revision", revision, verdict);
  } else if (!error) {
    revision = await git.currentBranch();
    if (revision === undefined) {
      error = new ConfigError("HEAD is detached: there is no current branch for ArgoCD to follow.", {
        code: "no-branch",
        hint: "Check out the branch ArgoCD should sync (`git switch main`), or pass --revision <branch>.",
      });
    } else if ((await git.upstream()) === undefined) {
      // ArgoCD reads the branch from the remote: a branch only in this clone cannot be synced.
      const unpushed = `branch ${revision} is not on a remote yet: push it (git push -u origin ${revision}) before aiplat bootstrap`;
      note = note ? `${note}; ${unpushed}` : unpushed;
    }
  }
  if (error) return { error };
  return { repoUrl: repoUrl ?? "", revision: revision ?? "", note };
}

/** A remote may carry credentials (https://user:token@host/...): never show them. */
function redactUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]+@/, "$1***@");
}
