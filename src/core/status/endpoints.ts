import { currentRayCluster, RAY_CLUSTER_LABEL } from "../rollout/observe-pods.js";
import { type ServeAppStatus, serveFailureOf } from "../rollout/serve-failure.js";
import { conditionOf, type Obj, type Pod } from "../rollout/types.js";
import type { EndpointStatusRow, EndpointsSection } from "./types.js";

/** The RGD labels every Ray pod template with the endpoint (platform/kro-definitions). */
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const NODE_TYPE_LABEL = "ray.io/node-type";

const num = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);

/**
 * Ray Serve's own words when the app failed (DEPLOY_FAILED/UNHEALTHY): the exception of the failed
 * deployment (serve-failure.ts), which says more than the instance's generic "waiting for
 * rayservice" condition.
 */
function serveProblem(rayService: Obj | undefined): string | undefined {
  const status = rayService?.status as
    | { activeServiceStatus?: { applicationStatuses?: Record<string, ServeAppStatus> } }
    | undefined;
  for (const app of Object.values(status?.activeServiceStatus?.applicationStatuses ?? {})) {
    if (app.status === "RUNNING") continue;
    const failure = serveFailureOf(app);
    if (failure) return `${app.status ?? "?"}: ${failure.summary}`;
  }
  return undefined;
}

/**
 * One row per InferenceEndpoint, joined by name with its RayService, its worker pods and LiteLLM's
 * model list (`registered` undefined when LiteLLM could not be asked) and request counts (by model
 * name; undefined when LiteLLM does not report them, and then every row's `requests` too).
 * Everything comes from lists made once, so the cost does not grow with the number of endpoints.
 */
export function buildEndpoints(
  endpoints: readonly Obj[],
  rayServices: readonly Obj[],
  pods: readonly Pod[],
  registered: readonly string[] | undefined,
  litellm: { requests?: ReadonlyMap<string, number> | undefined } = {},
): EndpointsSection {
  // Keyed by name; a nameless RayService (or a pod without the instance label) lands under
  // undefined, which no endpoint asks for.
  const services = new Map(rayServices.map((r) => [r.metadata?.name, r]));
  // The worker pods that count as replicas (running, not being deleted), grouped by endpoint once
  // with the RayCluster of each, so the join stays linear in pods + endpoints.
  const workerClusters = new Map<string | undefined, (string | undefined)[]>();
  for (const pod of pods) {
    const { labels = {}, deletionTimestamp } = pod.metadata ?? {};
    if (deletionTimestamp || labels[NODE_TYPE_LABEL] !== "worker" || pod.status?.phase !== "Running")
      continue;
    const endpoint = labels[INSTANCE_LABEL];
    const list = workerClusters.get(endpoint);
    if (list) list.push(labels[RAY_CLUSTER_LABEL]);
    else workerClusters.set(endpoint, [labels[RAY_CLUSTER_LABEL]]);
  }
  const names = registered ? new Set(registered) : undefined;
  const rows: EndpointStatusRow[] = [];
  for (const e of endpoints) {
    const { name, creationTimestamp } = e.metadata ?? {};
    if (!name) continue;
    const spec = e.spec ?? {};
    const rs = services.get(name);
    const ready = conditionOf(rs, "Ready")?.status === "True";
    const instanceReady = conditionOf(e, "Ready");
    // Workers of the current RayCluster (the pending one during an upgrade); all before KubeRay names one.
    const cluster = currentRayCluster(rs);
    const current =
      workerClusters.get(name)?.filter((c) => cluster === undefined || c === cluster).length ?? 0;
    rows.push({
      name,
      model: typeof spec.model === "string" ? spec.model : undefined,
      state: (e.status as { state?: string } | undefined)?.state ?? "PENDING",
      ready,
      replicas: { current, min: num(spec.minReplicas, 1), max: num(spec.maxReplicas, 4) },
      gpus: num(spec.gpuCount, 1),
      registered: names ? names.has(name) : undefined,
      requests: litellm.requests ? (litellm.requests.get(name) ?? 0) : undefined,
      createdAt: creationTimestamp,
      message: ready
        ? undefined
        : serveProblem(rs) || instanceReady?.message || conditionOf(rs, "Ready")?.message || undefined,
    });
  }
  return { endpoints: rows.sort((a, b) => a.name.localeCompare(b.name)) };
}
