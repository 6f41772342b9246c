import { type KubeObject, type Store, tryGet } from "../runtime/kube.js";
import { type DesiredState, isSubset, TRACKING } from "./desired.js";
import { assessHealth, type HealthStatus, worse } from "./health.js";

/**
 * Desired vs live for one Application: per resource Synced/OutOfSync and its health, tracked live
 * objects that left git (requiresPruning), the app's sync status and its worst health with the
 * message that explains it (what `argocd app get` and the UI show).
 */
export interface Comparison {
  outOfSync: boolean;
  health: HealthStatus;
  message?: string;
  resources: Record<string, unknown>[];
}

export function refFor(obj: KubeObject) {
  return {
    apiVersion: obj.apiVersion ?? "",
    kind: obj.kind ?? "",
    name: obj.metadata?.name ?? "",
    namespace: obj.metadata?.namespace,
  };
}

export function keyFromTracking(obj: KubeObject): string {
  const id = obj.metadata?.annotations?.[TRACKING] ?? "";
  const [, groupKind = "", nsName = ""] = id.split(":");
  return `${groupKind}:${nsName}`;
}

function resourceEntry(
  obj: KubeObject,
  status: string,
  health: { status: string; message?: string },
): Record<string, unknown> {
  const apiVersion = obj.apiVersion ?? "";
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return {
    group,
    version,
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name,
    status,
    health: { status: health.status, ...(health.message ? { message: health.message } : {}) },
  };
}

export function compareApp(store: Store, desired: DesiredState, tracked: KubeObject[]): Comparison {
  let health: HealthStatus = "Healthy";
  let message: string | undefined;
  let outOfSync = false;
  const resources: Record<string, unknown>[] = [];
  const desiredKeys = new Set(desired.objects.map((d) => d.key));
  for (const d of desired.objects) {
    const live = d.missingKind ? undefined : tryGet(store, refFor(d.object));
    const synced = live !== undefined && isSubset(d.object, live);
    if (!synced) outOfSync = true;
    const h = assessHealth(live);
    if (worse(health, h.status) !== health) {
      health = h.status;
      message =
        h.message ??
        (h.status === "Missing" ? `${d.object.kind} ${d.object.metadata?.name} is missing` : undefined);
    }
    resources.push(resourceEntry(d.object, synced ? "Synced" : "OutOfSync", h));
  }
  for (const live of tracked) {
    if (desiredKeys.has(keyFromTracking(live))) continue;
    outOfSync = true;
    resources.push({ ...resourceEntry(live, "OutOfSync", assessHealth(live)), requiresPruning: true });
  }
  return { outOfSync, health, message, resources };
}
