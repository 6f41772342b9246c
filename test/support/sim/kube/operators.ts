import { type KubeObject, type Store, tryList } from "../runtime/kube.js";

/**
 * Controllers that run as in-cluster operators only work once their operator runs: KubeRay needs
 * the kuberay-operator Deployment (argocd/kuberay-operator.yaml), GPUs appear on a node only once
 * the NVIDIA device plugin of the gpu-operator runs (argocd/gpu-operator.yaml). With
 * `operators: "assumed"` (unit tests of one controller) they are taken as running.
 */
export type OperatorMode = "required" | "assumed";

export function operatorAvailable(store: Store, mode: OperatorMode, deployment: string): boolean {
  if (mode === "assumed") return true;
  return tryList(store, "apps/v1", "Deployment").some(
    (d: KubeObject) =>
      d.metadata?.name === deployment &&
      !d.metadata?.deletionTimestamp &&
      ((d.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0) > 0,
  );
}
