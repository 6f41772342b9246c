/**
 * The worker layers of a rollout — pod scheduled, GPU node launched, image pulled — judged on the
 * worker pod of the current RayCluster (see currentWorkerPods), with Karpenter's NodeClaims and
 * the time limits for capacity and image pull errors.
 */
import { formatElapsed } from "../clock.js";
import type { DeployObservation } from "./deploy-steps.js";
import {
  capacityError,
  claimInstanceType,
  claimsForPod,
  describeClaims,
  GPU_NODEPOOL,
  INSTANCE_TYPE_LABEL,
  imagePullState,
  isScheduled,
  launchedCondition,
  quotaAdvice,
  unscheduledReason,
} from "./observe-pods.js";
import type { Judgement, Pod } from "./types.js";

export function judgeScheduled(o: DeployObservation, pod: Pod | undefined): Judgement {
  if (!pod) return { done: false, reason: "no Ray worker pod yet (KubeRay creates it with the RayCluster)" };
  if (isScheduled(pod)) return { done: true, reason: `pod ${pod.metadata?.name} on ${pod.spec?.nodeName}` };
  const claims = describeClaims(claimsForPod(o.nodeClaims, pod));
  return { done: false, reason: [unscheduledReason(pod, o.events), claims].filter(Boolean).join(" — ") };
}

export function judgeNode(o: DeployObservation, pod: Pod | undefined): Judgement {
  const nodeName = pod?.spec?.nodeName;
  if (nodeName) {
    const node = o.nodes.map((n) => n.metadata).find((m) => m?.name === nodeName);
    const type = node?.labels?.[INSTANCE_TYPE_LABEL];
    return { done: true, reason: type ? `${type} (${nodeName})` : `${nodeName}` };
  }
  const claims = claimsForPod(o.nodeClaims, pod);
  const launched = claims.find((c) => launchedCondition(c)?.status === "True");
  if (launched) {
    return {
      done: false,
      reason: `${claimInstanceType(launched) ?? "GPU node"} launched, waiting for it to join (NodeClaim ${launched.metadata?.name})`,
    };
  }
  const failedTypes = Object.keys(o.capacityErrors);
  const launching = claims.find((c) => capacityError(c) === undefined);
  const launchingText = launching
    ? `Karpenter is launching ${claimInstanceType(launching) ?? "a GPU node"} (NodeClaim ${launching.metadata?.name})`
    : undefined;
  if (failedTypes.length > 0) {
    const last = o.capacityErrors[failedTypes[failedTypes.length - 1] as string];
    // Each error on its own: a Spot offering's shortage must not turn an on-demand quota into the Spot one.
    const quota = Object.values(o.capacityErrors).map(quotaAdvice).find(Boolean);
    const reason = `no GPU capacity for ${failedTypes.join(", ")}: ${last}${quota ? ` — ${quota}` : ""}`;
    const since = o.firstSeen.capacity ?? o.now;
    if (o.now - since >= o.limits.capacityMs) {
      return {
        done: false,
        failed: true,
        reason: `${reason} (no instance type could be launched for ${formatElapsed(o.limits.capacityMs)}; --capacity-timeout)`,
      };
    }
    return { done: false, reason: `${reason}${launchingText ? ` — now trying: ${launchingText}` : ""}` };
  }
  if (launchingText) return { done: false, reason: launchingText };
  return { done: false, reason: `waiting for Karpenter (NodePool ${GPU_NODEPOOL}) to create a NodeClaim` };
}

export function judgeImage(o: DeployObservation, pod: Pod | undefined): Judgement {
  if (!pod || !isScheduled(pod)) return { done: false, reason: "waiting for the worker pod to be scheduled" };
  const pull = imagePullState(pod);
  if (pull.state === "pulled") return { done: true };
  const error = pull.state === "failing" ? pull.message : o.imagePullError;
  if (error) {
    const since = o.firstSeen["image-pull"] ?? o.now;
    if (o.now - since >= o.limits.imagePullMs) {
      return {
        done: false,
        failed: true,
        reason: `${error} (failing for ${formatElapsed(o.limits.imagePullMs)}; --image-pull-timeout)`,
      };
    }
    return { done: false, reason: `${error} (kubelet retries with back-off)` };
  }
  return {
    done: false,
    reason: `${pull.message} (the Ray LLM image is large: minutes are normal)`,
  };
}
