/** The Kubernetes kinds the teardown reads and deletes (apiVersion, kind). */
export const APPLICATION = { apiVersion: "argoproj.io/v1alpha1", kind: "Application" } as const;
export const ENDPOINT = { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint" } as const;
export const RAY_SERVICE = { apiVersion: "ray.io/v1", kind: "RayService" } as const;
export const SERVICE = { apiVersion: "v1", kind: "Service" } as const;
export const INGRESS = { apiVersion: "networking.k8s.io/v1", kind: "Ingress" } as const;
export const NODE_POOL = { apiVersion: "karpenter.sh/v1", kind: "NodePool" } as const;
export const NODE_CLAIM = { apiVersion: "karpenter.sh/v1", kind: "NodeClaim" } as const;
export const NODE_CLASS = { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass" } as const;
export const NODE = { apiVersion: "v1", kind: "Node" } as const;
export const POD = { apiVersion: "v1", kind: "Pod" } as const;
export const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" } as const;
export const PDB = { apiVersion: "policy/v1", kind: "PodDisruptionBudget" } as const;

export type KindRef = { apiVersion: string; kind: string };

/** namespace/name, or name for cluster-scoped objects. */
export function ref(o: { metadata?: { name?: string; namespace?: string } }): string {
  const m = o.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ""}` : (m.name ?? "");
}

export function splitRef(r: string): { name: string; namespace: string | undefined } {
  const i = r.indexOf("/");
  return i < 0 ? { name: r, namespace: undefined } : { namespace: r.slice(0, i), name: r.slice(i + 1) };
}
