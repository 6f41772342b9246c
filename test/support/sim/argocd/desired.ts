import type { KubeObject, Store } from "../runtime/kube.js";
import { chartStandIn } from "./chart-standins.js";
import { type DirectoryOptions, localRepoPath, readManifests, resolveRevision } from "./git-source.js";

/**
 * The desired state of one Application at its target revision: the manifests of its directory
 * source(s), stand-ins for its Helm-chart sources, the destination namespace filled in for
 * namespaced kinds, the tracking annotation ArgoCD 3 writes (`argocd.argoproj.io/tracking-id`),
 * and each object's sync wave.
 */
export const TRACKING = "argocd.argoproj.io/tracking-id";

export interface AppSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  directory?: DirectoryOptions;
  helm?: { releaseName?: string };
}

export interface AppSpec {
  source?: AppSource;
  sources?: AppSource[];
  destination?: { namespace?: string; name?: string; server?: string };
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean; enabled?: boolean } | null;
    syncOptions?: string[];
    retry?: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } };
  };
}

export interface DesiredObject {
  object: KubeObject;
  wave: number;
  key: string;
  /** The kind is not served (yet): applied only if SkipDryRunOnMissingResource allows waiting. */
  missingKind: boolean;
}

export interface DesiredState {
  revision: string;
  objects: DesiredObject[];
}

export function objectKey(obj: KubeObject): string {
  const [group] = (obj.apiVersion ?? "").includes("/") ? (obj.apiVersion ?? "").split("/") : [""];
  return `${group}/${obj.kind}:${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

const KIND_ORDER = [
  "Namespace",
  "CustomResourceDefinition",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "Service",
];

function kindRank(kind: string | undefined): number {
  const i = KIND_ORDER.indexOf(kind ?? "");
  return i < 0 ? KIND_ORDER.length : i;
}

export async function computeDesired(
  store: Store,
  appName: string,
  spec: AppSpec,
  remotes: ReadonlyMap<string, string>,
): Promise<DesiredState> {
  const sources = spec.sources ?? (spec.source ? [spec.source] : []);
  const destNs = spec.destination?.namespace;
  const objects: KubeObject[] = [];
  let revision = "";
  for (const source of sources) {
    if (source.chart) {
      objects.push(...chartStandIn(source.chart, source.helm?.releaseName ?? appName));
      revision ||= source.targetRevision ?? "";
      continue;
    }
    if (source.ref && !source.path) continue;
    // Like repo-server, only a repository that exists is cloned: a local path, or a URL the
    // simulator was told names its remote. Anything else (the init placeholder) is not found.
    const repo = localRepoPath(source.repoURL ?? "") ?? remotes.get(source.repoURL ?? "");
    if (!repo) {
      throw new Error(
        `rpc error: code = Unknown desc = failed to list refs: repository not found: ${source.repoURL ?? "(no repoURL)"}`,
      );
    }
    const commit = await resolveRevision(repo, source.targetRevision);
    revision = commit;
    for (const m of await readManifests(repo, commit, source.path ?? ".", source.directory))
      objects.push(m.object);
  }
  if (spec.syncPolicy?.syncOptions?.includes("CreateNamespace=true") && destNs) {
    // CreateNamespace runs before every wave (a pre-sync step in ArgoCD).
    objects.unshift({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: destNs,
        annotations: { "argocd.argoproj.io/sync-wave": String(Number.MIN_SAFE_INTEGER) },
      },
    });
  }
  const desired: DesiredObject[] = [];
  for (const raw of objects) {
    const object = JSON.parse(JSON.stringify(raw)) as KubeObject;
    object.metadata ??= {};
    const meta = object.metadata;
    let missingKind = false;
    try {
      const type = store.typeOf({ apiVersion: object.apiVersion ?? "", kind: object.kind ?? "" });
      if (type.namespaced) meta.namespace ??= destNs;
      else delete meta.namespace;
    } catch {
      missingKind = true;
      meta.namespace ??= destNs;
    }
    meta.annotations = { ...(meta.annotations ?? {}) };
    const wave = Number(meta.annotations["argocd.argoproj.io/sync-wave"] ?? 0) || 0;
    const key = objectKey(object);
    meta.annotations[TRACKING] = `${appName}:${key.split(":")[0]}:${meta.namespace ?? ""}/${meta.name ?? ""}`;
    if (desired.some((d) => d.key === key)) continue;
    desired.push({ object, wave, key, missingKind });
  }
  desired.sort((a, b) => a.wave - b.wave || kindRank(a.object.kind) - kindRank(b.object.kind));
  return { revision, objects: desired };
}

/** Sync options of one resource (annotation `argocd.argoproj.io/sync-options`, comma-separated). */
export function resourceSyncOptions(obj: KubeObject | undefined): string[] {
  const raw = obj?.metadata?.annotations?.["argocd.argoproj.io/sync-options"] ?? "";
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Desired fields are all present with the same values in the live object (status ignored). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === null || typeof desired !== "object") return desired === live || desired === undefined;
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) && desired.length === live.length && desired.every((d, i) => isSubset(d, live[i]))
    );
  }
  if (live === null || typeof live !== "object" || Array.isArray(live)) return false;
  return Object.entries(desired as Record<string, unknown>).every(
    ([k, v]) => k === "status" || isSubset(v, (live as Record<string, unknown>)[k]),
  );
}
