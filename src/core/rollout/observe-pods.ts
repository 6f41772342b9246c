/**
 * Reading worker pods, their events, NodeClaims and Nodes: which pod to report on, why it is not
 * scheduled, which node it got, and whether Karpenter hit a capacity error.
 */
import { type Condition, conditionOf, type KubeEvent, type Obj, type Pod } from "./types.js";

export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
export const NODEPOOL_LABEL = "karpenter.sh/nodepool";
export const GPU_NODEPOOL = "gpu-inference";
const IMAGE_PULL_FAILURES = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
]);
/**
 * Words Karpenter/EC2 use when no capacity is left for an offering. EC2's VcpuLimitExceeded (the
 * account's vCPU quota, "current vCPU limit of N") is one Karpenter treats the same way (an
 * unfulfillable-capacity code in karpenter-provider-aws pkg/errors), but it never clears by itself.
 */
const CAPACITY_ERROR =
  /InsufficientInstanceCapacity|InsufficientCapacity|insufficient capacity|no capacity|UnfulfillableCapacity|MaxSpotInstanceCountExceeded|VcpuLimitExceeded|vCPU limit/i;
const QUOTA_ERROR = /VcpuLimitExceeded|vCPU limit|MaxSpotInstanceCountExceeded/i;

/** For a capacity error that is really the account's G/VT vCPU quota: what to request. */
export function quotaAdvice(message: string): string | undefined {
  if (!QUOTA_ERROR.test(message)) return undefined;
  const spot = /Spot/i.test(message);
  return spot
    ? "the account's \"All G and VT Spot Instance Requests\" vCPU quota (L-3819A6DF) is used up, not AWS capacity: request an increase in Service Quotas (aiplat doctor's GPU quota check says how much)"
    : "the account's \"Running On-Demand G and VT instances\" vCPU quota (L-DB2E81BA) is used up, not AWS capacity: request an increase in Service Quotas (aiplat doctor's GPU quota check says how much)";
}

function eventTime(e: KubeEvent): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? Date.parse(t) || 0 : 0;
}

export const RAY_CLUSTER_LABEL = "ray.io/cluster";

/**
 * The RayCluster whose workers this rollout waits for: during a zero-downtime upgrade (after a
 * changed declaration) the pending one, else the active one; undefined before KubeRay reports any.
 */
export function currentRayCluster(rayService: Obj | undefined): string | undefined {
  const status = rayService?.status as
    | {
        activeServiceStatus?: { rayClusterName?: string } | null;
        pendingServiceStatus?: { rayClusterName?: string } | null;
      }
    | undefined;
  return (
    status?.pendingServiceStatus?.rayClusterName || status?.activeServiceStatus?.rayClusterName || undefined
  );
}

/**
 * Worker pods of the current RayCluster only: during an upgrade the old cluster's pods are still
 * scheduled and running, and must not make the new cluster's steps look done. Pods without the
 * KubeRay label are kept (nothing to tell them apart by).
 */
export function currentWorkerPods(rayService: Obj | undefined, pods: readonly Pod[]): Pod[] {
  const cluster = currentRayCluster(rayService);
  if (!cluster) return [...pods];
  return pods.filter((p) => {
    const label = p.metadata?.labels?.[RAY_CLUSTER_LABEL];
    return label === undefined || label === cluster;
  });
}

/**
 * The GPU NodeClaims that can be for this pod: Karpenter creates a claim only after the pod turned
 * out unschedulable, so claims older than the pod belong to other endpoints' workers.
 */
export function claimsForPod(nodeClaims: readonly Obj[], pod: Pod | undefined): Obj[] {
  // Stryker disable next-line StringLiteral: Date.parse reads "" and "Stryker was here!" alike, as NaN
  const since = Date.parse(pod?.metadata?.creationTimestamp ?? "");
  return gpuNodeClaims(nodeClaims).filter((c) => {
    // Stryker disable next-line StringLiteral: Date.parse reads "" and "Stryker was here!" alike, as NaN
    const created = Date.parse(c.metadata?.creationTimestamp ?? "");
    return Number.isNaN(since) || Number.isNaN(created) || created >= since;
  });
}

/** The worker pod to report on: a scheduled one if any, else the oldest. */
export function pickWorkerPod(pods: readonly Pod[]): Pod | undefined {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  return live.find((p) => p.spec?.nodeName) ?? live[0];
}

export function isScheduled(pod: Pod | undefined): boolean {
  if (!pod) return false;
  return Boolean(pod.spec?.nodeName) || conditionOf(pod, "PodScheduled")?.status === "True";
}

/** The newest event of a reason about this pod (matched by uid, else by name). */
export function latestEvent(events: readonly KubeEvent[], pod: Pod, reason: string): KubeEvent | undefined {
  const uid = pod.metadata?.uid;
  const name = pod.metadata?.name;
  return events
    .filter(
      (e) =>
        e.reason === reason &&
        (e.involvedObject?.kind ?? "Pod") === "Pod" &&
        (uid && e.involvedObject?.uid ? e.involvedObject.uid === uid : e.involvedObject?.name === name),
    )
    .sort((a, b) => eventTime(b) - eventTime(a))[0];
}

export function unscheduledReason(pod: Pod, events: readonly KubeEvent[]): string {
  const failed = latestEvent(events, pod, "FailedScheduling");
  if (failed?.message) return `FailedScheduling: ${failed.message}`;
  const cond = conditionOf(pod, "PodScheduled");
  if (cond?.message) return `${cond.reason ?? "Unschedulable"}: ${cond.message}`;
  return `pod ${pod.metadata?.name} is Pending`;
}

export function gpuNodeClaims(nodeClaims: readonly Obj[]): Obj[] {
  return nodeClaims.filter((c) => (c.metadata?.labels?.[NODEPOOL_LABEL] ?? GPU_NODEPOOL) === GPU_NODEPOOL);
}

export function launchedCondition(claim: Obj): Condition | undefined {
  return conditionOf(claim, "Launched");
}

export function capacityError(claim: Obj): string | undefined {
  const launched = launchedCondition(claim);
  if (launched?.status !== "False") return undefined;
  // A missing part reads "undefined", which names no capacity error.
  const text = `${launched.reason} ${launched.message}`;
  return CAPACITY_ERROR.test(text) ? (launched.message ?? launched.reason) : undefined;
}

export function claimInstanceType(claim: Obj): string | undefined {
  return (
    claim.metadata?.labels?.[INSTANCE_TYPE_LABEL] ??
    ((claim.status as { instanceType?: string } | undefined)?.instanceType || undefined)
  );
}

/** "NodeClaim gpu-inference-x7k2p launching g5.xlarge" for the not-yet-scheduled reason. */
export function describeClaims(claims: readonly Obj[]): string | undefined {
  const parts = claims.map((c) => {
    const type = claimInstanceType(c);
    const error = capacityError(c);
    const launched = launchedCondition(c)?.status === "True";
    const state = error ? `capacity error: ${error}` : launched ? "launched" : "launching";
    return `NodeClaim ${c.metadata?.name}${type ? ` (${type})` : ""} ${state}`;
  });
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** A pull that is not done always says why: kubelet's waiting reason (and message). */
export type ImagePull = { state: "pulled" } | { state: "pulling" | "failing"; message: string };

export function imagePullState(pod: Pod): ImagePull {
  // Stryker disable next-line ArrayDeclaration: an element that is no object has no state, so it reads "ContainerCreating", as no status does
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length > 0 && statuses.every((c) => c.state?.running || c.state?.terminated)) {
    return { state: "pulled" };
  }
  for (const c of statuses) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && IMAGE_PULL_FAILURES.has(waiting.reason)) {
      return { state: "failing", message: `${waiting.reason}: ${waiting.message ?? c.image ?? ""}`.trim() };
    }
  }
  const waiting = statuses.map((c) => c.state?.waiting).find(Boolean);
  return { state: "pulling", message: waiting?.reason ?? "ContainerCreating" };
}
