import { parse as parseYaml } from "yaml";
import { type KubeObject, ownerReference, recordEvent, type Store, tryGet } from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";

/**
 * What the KubeRay operator creates for a RayService: RayClusters (with the config hash KubeRay
 * compares on upgrades), the head/serve Services, and the Ray Pods with KubeRay's labels.
 */
export const MANAGER = "kuberay-operator";
/** The annotation KubeRay compares to decide whether a RayService needs a new cluster. */
export const HASH = "ray.io/hash-without-replicas-and-workers-to-delete";

export function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(36);
}

export function createRayCluster(
  store: Store,
  random: Random,
  svc: KubeObject,
  config: Record<string, unknown> | undefined,
  hash: string,
): KubeObject {
  const ns = svc.metadata?.namespace ?? "default";
  const name = svc.metadata?.name ?? "";
  const cluster = store.create(
    {
      apiVersion: "ray.io/v1",
      kind: "RayCluster",
      metadata: {
        name: `${name}-raycluster-${random.suffix()}`,
        namespace: ns,
        labels: { "ray.io/originated-from-cr-name": name, "ray.io/originated-from-crd": "RayService" },
        annotations: { [HASH]: hash },
        ownerReferences: [ownerReference(svc)],
      },
      spec: config ?? {},
    },
    { fieldManager: MANAGER },
  );
  recordEvent(
    store,
    svc,
    "Normal",
    "CreatedRayCluster",
    `Created RayCluster ${ns}/${cluster.metadata?.name}`,
    MANAGER,
  );
  return cluster;
}

export function ensureRayService(
  store: Store,
  owner: KubeObject,
  name: string,
  cluster: string,
  selector: Record<string, string>,
  ports: { name: string; port: number }[],
): void {
  const ns = owner.metadata?.namespace;
  const existing = tryGet(store, { apiVersion: "v1", kind: "Service", name, namespace: ns });
  if (existing) {
    // After an upgrade the Services follow the new active cluster.
    const current = (existing.spec as { selector?: Record<string, string> } | undefined)?.selector?.[
      "ray.io/cluster"
    ];
    if (current !== cluster) {
      store.patch(
        { apiVersion: "v1", kind: "Service", name, namespace: ns },
        {
          metadata: { labels: { "ray.io/cluster": cluster } },
          spec: { selector: { "ray.io/cluster": cluster, ...selector } },
        },
        "merge",
        { fieldManager: MANAGER },
      );
    }
    return;
  }
  store.create(
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name,
        namespace: ns,
        labels: { "ray.io/cluster": cluster, "ray.io/originated-from-cr-name": owner.metadata?.name ?? "" },
        ownerReferences: [ownerReference(owner)],
      },
      spec: {
        type: "ClusterIP",
        selector: { "ray.io/cluster": cluster, ...selector },
        ports: ports.map((p) => ({ ...p, protocol: "TCP", targetPort: p.port })),
      },
    },
    { fieldManager: MANAGER },
  );
}

export function createRayPod(
  store: Store,
  cluster: KubeObject,
  name: string,
  nodeType: "head" | "worker",
  group: string,
  template?: KubeObject,
): void {
  const tmpl = (template ?? {}) as KubeObject;
  store.create(
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: cluster.metadata?.namespace,
        labels: {
          ...(tmpl.metadata?.labels ?? {}),
          "ray.io/cluster": cluster.metadata?.name ?? "",
          "ray.io/node-type": nodeType,
          "ray.io/group": group,
          "ray.io/is-ray-node": "yes",
          ...(nodeType === "head" ? { "ray.io/serve": "true" } : {}),
        },
        ownerReferences: [ownerReference(cluster)],
      },
      spec: tmpl.spec ?? { containers: [] },
      status: { phase: "Pending" },
    },
    { fieldManager: MANAGER },
  );
}

export function modelIdOf(serveConfig: string | undefined): string | undefined {
  if (!serveConfig) return undefined;
  try {
    const doc = parseYaml(serveConfig) as {
      applications?: { args?: { llm_configs?: { model_loading_config?: { model_id?: unknown } }[] } }[];
    };
    const id = doc.applications?.[0]?.args?.llm_configs?.[0]?.model_loading_config?.model_id;
    return id === undefined ? undefined : String(id);
  } catch {
    return undefined;
  }
}
