/**
 * The teardown of one endpoint after `undeploy-model`: ArgoCD prunes the InferenceEndpoint, KRO
 * deletes the RayService, KubeRay its pods, and Karpenter releases the now-empty GPU nodes (after
 * the NodePool's consolidateAfter). Done only when the nodes that ran its workers are gone.
 */
import { orderSteps } from "./deploy-steps.js";
import type { ArgoApplication, Obj, Pod, RolloutStep } from "./types.js";

export interface UndeployObservation {
  name: string;
  commit: string;
  pushedTo: string;
  application: ArgoApplication | null | undefined;
  endpoint: Obj | undefined;
  rayService: Obj | undefined;
  workerPods: Pod[];
  /** Names of the GPU nodes that ran this endpoint's workers when following started. */
  trackedNodes: string[];
  nodes: Obj[];
}

export const UNDEPLOY_STEP_IDS = ["pushed", "synced", "endpoint", "rayservice", "pods", "nodes"] as const;
type UndeployStepId = (typeof UNDEPLOY_STEP_IDS)[number];

const TITLES: Record<UndeployStepId, string> = {
  pushed: "Pushed",
  synced: "ArgoCD workloads synced",
  endpoint: "InferenceEndpoint deleted",
  rayservice: "RayService deleted",
  pods: "Ray pods gone",
  nodes: "GPU nodes released",
};

function gone(obj: Obj | undefined, what: string) {
  if (!obj) return { done: true };
  const deleting = obj.metadata?.deletionTimestamp ? "deleting (finalizers pending)" : "still present";
  return { done: false, reason: `${what} ${deleting}` };
}

export function computeUndeploySteps(o: UndeployObservation): RolloutStep[] {
  const short = o.commit.slice(0, 7);
  const sync = o.application ? o.application.status?.sync : undefined;
  const synced =
    sync?.revision === o.commit
      ? { done: true, reason: `revision ${short}` }
      : o.application !== undefined && !o.endpoint
        ? { done: true, reason: "the endpoint is gone from the cluster" }
        : {
            done: false,
            reason:
              o.application === null
                ? "the ArgoCD Application workloads does not exist"
                : `${sync?.status ?? "Unknown"}${sync?.revision ? ` at ${sync.revision.slice(0, 7)}` : ""}, waiting for ${short} (ArgoCD prunes the endpoint)`,
          };
  const remainingNodes = o.trackedNodes.filter((n) => o.nodes.some((node) => node.metadata?.name === n));
  const nodes =
    remainingNodes.length === 0
      ? {
          done: true,
          reason:
            o.trackedNodes.length === 0
              ? "no GPU node was running for it"
              : `released ${o.trackedNodes.join(", ")}`,
        }
      : {
          done: false,
          reason: `${remainingNodes.join(", ")} still running (Karpenter removes empty GPU nodes after consolidateAfter)`,
        };
  return orderSteps(
    UNDEPLOY_STEP_IDS,
    {
      pushed: { done: true, reason: `${short} to ${o.pushedTo}` },
      synced,
      endpoint: gone(o.endpoint, `InferenceEndpoint ${o.name}`),
      rayservice: gone(o.rayService, `RayService ${o.name}`),
      pods:
        o.workerPods.length === 0
          ? { done: true }
          : { done: false, reason: `${o.workerPods.length} pod(s) terminating` },
      nodes,
    },
    TITLES,
  );
}
