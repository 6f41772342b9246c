/**
 * What the follower remembers between observations: when time-limited conditions were first seen,
 * capacity errors across Karpenter's retries, and image pull errors across kubelet's retries.
 */
import type { DeployObservation } from "./deploy-steps.js";
import {
  capacityError,
  claimInstanceType,
  claimsForPod,
  currentWorkerPods,
  imagePullState,
  isScheduled,
  launchedCondition,
  pickWorkerPod,
} from "./observe-pods.js";
import type { Obj, Pod } from "./types.js";

/**
 * The worker pod's image pull error (`workerPods`: the current RayCluster's, see currentWorkerPods), kept between kubelet's retries (a retry shows a plain
 * waiting state for a while) and dropped once the image is pulled or the pod is replaced.
 */
export function collectImagePullError(
  prev: { uid: string | undefined; message: string } | undefined,
  workerPods: readonly Pod[],
): { uid: string | undefined; message: string } | undefined {
  const pod = pickWorkerPod(workerPods);
  if (!pod) return prev;
  const pull = imagePullState(pod);
  if (pull.state === "pulled") return undefined;
  if (pull.state === "failing") return { uid: pod.metadata?.uid, message: pull.message };
  return prev && prev.uid === pod.metadata?.uid ? prev : undefined;
}

/**
 * Adds the capacity errors the pod's NodeClaims show now; forgets them all once the pod is
 * scheduled. `workerPods`: the current RayCluster's (currentWorkerPods).
 */
export function collectCapacityErrors(
  prev: Record<string, string>,
  nodeClaims: readonly Obj[],
  workerPods: readonly Pod[],
): Record<string, string> {
  const pod = pickWorkerPod(workerPods);
  if (isScheduled(pod)) return {};
  const next = { ...prev };
  for (const claim of claimsForPod(nodeClaims, pod)) {
    const error = capacityError(claim);
    if (error) next[claimInstanceType(claim) ?? claim.metadata?.name ?? "?"] = error;
  }
  return next;
}

/** Keys of conditions whose duration matters, for the follower's first-seen bookkeeping. */
export function timedConditions(o: Omit<DeployObservation, "firstSeen">): string[] {
  const keys: string[] = [];
  if (o.imagePullError) keys.push("image-pull");
  const pod = pickWorkerPod(currentWorkerPods(o.rayService, o.workerPods));
  const launched = claimsForPod(o.nodeClaims, pod).some((c) => launchedCondition(c)?.status === "True");
  if (Object.keys(o.capacityErrors).length > 0 && !launched) keys.push("capacity");
  return keys;
}

/** Updates first-seen times: keeps those still present, adds new ones, drops cleared ones. */
export function trackFirstSeen(
  prev: Record<string, number>,
  present: readonly string[],
  now: number,
): Record<string, number> {
  const next: Record<string, number> = {};
  for (const key of present) next[key] = prev[key] ?? now;
  return next;
}
