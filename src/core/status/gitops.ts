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
 * The branch an app follows and the commit ArgoCD synced from it. A multi-source app (a Helm chart
 * plus this repository's values) reports one revision per source in `sync.revisions` (argo-cd
 * Application CRD, SyncStatus.revisions); the source that follows a branch of the remote is ours.
 */
function branchAndRevision(
  app: StatusApplication,
  heads: ReadonlyMap<string, string> | undefined,
): { branch?: string | undefined; revision?: string | undefined } {
  const sync = app.status?.sync;
  if (app.spec?.source || !app.spec?.sources) {
    return { branch: asRef(app.spec?.source?.targetRevision), revision: sync?.revision };
  }
  const index = app.spec.sources.findIndex((s) => heads?.has(asRef(s.targetRevision)));
  if (index < 0) return { branch: undefined, revision: sync?.revision };
  const branch = asRef(app.spec.sources[index]?.targetRevision);
  // Without the per-source list, `sync.revision` may be another source's (a chart version).
  const revision = sync?.revisions?.[index];
  return revision === undefined ? { branch: undefined, revision: sync?.revision } : { branch, revision };
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
    const { branch, revision } = branchAndRevision(app, heads);
    const head = branch === undefined ? undefined : heads?.get(branch);
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
