import type { KubeObject } from "../runtime/kube.js";
import { keyFromTracking } from "./compare.js";
import { resourceSyncOptions } from "./desired.js";

/**
 * What Argo CD deletes when an Application with its resources finalizer is deleted
 * (argo-cd controller/appcontroller.go `finalizeApplicationDeletion` and `shouldBeDeleted`,
 * controller/sort_delete.go `FilterObjectsForDeletion`): while any managed object is still
 * Terminating nothing more is deleted; otherwise only the objects of the highest sync wave, and of
 * those only the first kind in Helm's uninstall order (custom resources and APIServices first,
 * Namespaces last). CRDs, `Delete=false` objects and `helm.sh/resource-policy: keep` objects are
 * never deleted. `resources-finalizer.argocd.argoproj.io` and its `/foreground` variant delete
 * with foreground propagation, `/background` with background propagation.
 */
const UNINSTALL_ORDER = [
  "APIService",
  "Ingress",
  "Service",
  "CronJob",
  "Job",
  "StatefulSet",
  "HorizontalPodAutoscaler",
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "Pod",
  "DaemonSet",
  "RoleBindingList",
  "RoleBinding",
  "RoleList",
  "Role",
  "ClusterRoleBindingList",
  "ClusterRoleBinding",
  "ClusterRoleList",
  "ClusterRole",
  "CustomResourceDefinition",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "StorageClass",
  "ConfigMap",
  "SecretList",
  "Secret",
  "ServiceAccount",
  "PodDisruptionBudget",
  "PodSecurityPolicy",
  "LimitRange",
  "ResourceQuota",
  "NetworkPolicy",
  "Namespace",
];

/** Unknown kinds (custom resources) rank like the first entry, as a Go map's zero value does. */
const kindRank = (kind: string | undefined): number => Math.max(0, UNINSTALL_ORDER.indexOf(kind ?? ""));

export const syncWave = (obj: KubeObject): number =>
  Number(obj.metadata?.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0) || 0;

export function shouldBeDeleted(obj: KubeObject): boolean {
  if (obj.kind === "CustomResourceDefinition") return false;
  if (resourceSyncOptions(obj).includes("Delete=false")) return false;
  return obj.metadata?.annotations?.["helm.sh/resource-policy"] !== "keep";
}

/** The next batch: highest wave, then the first kind of Helm's uninstall order in it. */
export function nextDeletionBatch(objs: KubeObject[]): KubeObject[] {
  if (objs.length <= 1) return objs;
  const sorted = [...objs].sort(
    (a, b) =>
      syncWave(b) - syncWave(a) ||
      kindRank(a.kind) - kindRank(b.kind) ||
      (b.metadata?.name ?? "").localeCompare(a.metadata?.name ?? ""),
  );
  const first = sorted[0] as KubeObject;
  return sorted.filter((o) => syncWave(o) === syncWave(first) && o.kind === first.kind);
}

export function propagationFor(finalizer: string): "Foreground" | "Background" {
  return finalizer.endsWith("/background") ? "Background" : "Foreground";
}

/**
 * The prune tasks of a sync by the wave they run in. gitops-engine (pkg/sync/sync_context.go,
 * "reorder waves for pruning tasks using symmetric swap on prune waves") gives each pruned object
 * its live sync wave, then swaps the sorted prune waves end for end: the object of the highest
 * wave is pruned in the lowest prune wave, so pruning runs in reverse wave order; a wave is done
 * only when what it pruned is gone (argo-cd docs user-guide/sync-waves.md: "If, for any reason, a
 * resource isn't removed/pruned in a wave, the resources in next waves won't be processed").
 * `Prune=false` objects are never pruned.
 */
export function pruneTasks(
  live: readonly KubeObject[],
  desired: { objects: readonly { key: string }[] },
): Map<number, KubeObject[]> {
  const wanted = new Set(desired.objects.map((d) => d.key));
  const byWave = new Map<number, KubeObject[]>();
  for (const obj of live) {
    if (wanted.has(keyFromTracking(obj)) || resourceSyncOptions(obj).includes("Prune=false")) continue;
    const wave = syncWave(obj);
    byWave.set(wave, [...(byWave.get(wave) ?? []), obj]);
  }
  const waves = [...byWave.keys()].sort((a, b) => a - b);
  const swapped = new Map<number, KubeObject[]>();
  waves.forEach((wave, i) => {
    swapped.set(waves[waves.length - 1 - i] as number, byWave.get(wave) ?? []);
  });
  return swapped;
}
