import { type ApplicationLike, appMessage } from "../gitops/applications.js";
import type { AppStatusRow, GitopsSection } from "./types.js";

export interface StatusApplication extends ApplicationLike {
  spec?: { source?: { targetRevision?: string }; sources?: { targetRevision?: string }[] };
  status?: ApplicationLike["status"] & {
    sync?: { status?: string; revision?: string; revisions?: string[] };
  };
}

/** "HEAD" and a missing targetRevision mean the remote's default branch (ls-remote's HEAD). */
const asRef = (target: string | undefined) => (target === undefined || target === "" ? "HEAD" : target);

/**
 * The branch an app follows, the commit ArgoCD synced from it and that branch's head on the remote.
 * A multi-source app (a Helm chart plus this repository's values) reports one revision per source
 * in `sync.revisions` (argo-cd Application CRD, SyncStatus.revisions); the first source that
 * follows a branch of the remote is ours.
 */
function branchAndRevision(
  app: StatusApplication,
  heads: ReadonlyMap<string, string> | undefined,
): { branch?: string | undefined; revision?: string | undefined; head?: string | undefined } {
  const sync = app.status?.sync;
  if (app.spec?.source || !app.spec?.sources) {
    const branch = asRef(app.spec?.source?.targetRevision);
    return { branch, revision: sync?.revision, head: heads?.get(branch) };
  }
  for (const [index, source] of app.spec.sources.entries()) {
    const branch = asRef(source.targetRevision);
    const head = heads?.get(branch);
    if (head === undefined) continue;
    // Without the per-source list, `sync.revision` may be another source's (a chart version).
    const revision = sync?.revisions?.[index];
    if (revision === undefined) break;
    return { branch, revision, head };
  }
  return { branch: undefined, revision: sync?.revision, head: undefined };
}

/**
 * Every Application with sync, health, the synced revision against the branch head (`heads`:
 * branch → commit on the remote, read once) and ArgoCD's message when it is not Synced/Healthy.
 * Apps whose revision is not a commit of the platform repository (Helm chart versions) have no
 * head to compare with: behind stays undefined. `heads` maps ref names (`main`, `HEAD`) to commits.
 */
export function buildGitops(
  apps: readonly StatusApplication[],
  heads: ReadonlyMap<string, string> | undefined,
): GitopsSection {
  const rows: AppStatusRow[] = apps.map((app) => {
    const sync = app.status?.sync?.status ?? "Unknown";
    const health = app.status?.health?.status ?? "Unknown";
    const { branch, revision, head } = branchAndRevision(app, heads);
    const healthy = sync === "Synced" && health === "Healthy";
    const message = healthy ? undefined : appMessage(app) || undefined;
    return {
      app: app.metadata?.name ?? "?",
      sync,
      health,
      revision,
      branch,
      head,
      behind: head !== undefined && revision !== undefined ? head !== revision : undefined,
      message,
    };
  });
  return { applications: rows.sort((a, b) => a.app.localeCompare(b.app)) };
}
