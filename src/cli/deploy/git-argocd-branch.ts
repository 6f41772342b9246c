/**
 * ArgoCD's `workloads` Application syncs platform/ from one revision (argocd/workloads.yaml,
 * spec.source.targetRevision). A push to any other branch is never synced, so `--wait` would
 * wait its whole timeout for nothing: the branch is compared before anything is written.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Git } from "../../adapters/git.js";
import { ConfigError } from "../../core/errors.js";
import type { PushTarget } from "./git-publish.js";

export const WORKLOADS_APP = "argocd/workloads.yaml";

/** The workloads Application's targetRevision, or undefined when the file does not say. */
export function workloadsRevision(root: string): string | undefined {
  const file = join(root, WORKLOADS_APP);
  if (!existsSync(file)) return undefined;
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const app = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { source?: { targetRevision?: unknown } };
    } | null;
    if (app?.kind !== "Application" || app.metadata?.name !== "workloads") continue;
    const revision = app.spec?.source?.targetRevision;
    return typeof revision === "string" && revision !== "" ? revision : undefined;
  }
  return undefined;
}

/**
 * ArgoCD resolves "HEAD" (and an empty revision) to the repository's default branch; locally
 * that is what `refs/remotes/<remote>/HEAD` points at, when the clone recorded it.
 */
async function resolveRevision(git: Git, remote: string, revision: string): Promise<string | undefined> {
  if (revision !== "HEAD") return revision.replace(/^refs\/heads\//, "");
  const head = await git.raw(["symbolic-ref", "--quiet", "--short", `refs/remotes/${remote}/HEAD`]);
  return head.exitCode === 0 ? head.stdout.trim().replace(`${remote}/`, "") : undefined;
}

/** Refuses (exit 3) to push to a branch the workloads Application does not follow. */
export async function refuseUnwatchedBranch(git: Git, root: string, target: PushTarget): Promise<void> {
  const declared = workloadsRevision(root);
  if (declared === undefined) return;
  const watched = await resolveRevision(git, target.remote, declared);
  if (watched === undefined || watched === target.branch) return;
  const local = (await git.currentBranch()) ?? target.branch;
  throw new ConfigError(
    `ArgoCD's workloads Application follows ${JSON.stringify(declared)} (${WORKLOADS_APP}), but this run would push to ${target.remote}/${target.branch}: ArgoCD would never sync it. Nothing was written.`,
    {
      code: "branch-not-watched",
      hint: `Either switch to the branch ArgoCD follows (\`git switch ${watched}\`) and run the command again there, or make ArgoCD follow ${target.branch}: set targetRevision: ${target.branch} in ${WORKLOADS_APP} (aiplat init --revision ${target.branch} does it for every argocd/ file), push it, and apply it with aiplat bootstrap.`,
      details: { targetRevision: declared, branch: target.branch, remote: target.remote, localBranch: local },
    },
  );
}
