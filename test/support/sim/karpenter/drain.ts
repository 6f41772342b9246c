import type { SimClock } from "../runtime/clock.js";
import { codeOf, isDeleting, type KubeObject, recordEvent, type Store } from "../runtime/kube.js";
import { MANAGER } from "./provisioning.js";

/**
 * Karpenter's node drain (kubernetes-sigs/karpenter v1.14.1,
 * pkg/controllers/node/termination/terminator/terminator.go `Drain` and eviction.go): the pods
 * still to go are evicted through the Eviction API — so PodDisruptionBudgets are honoured — first
 * the non-DaemonSet pods, then DaemonSet pods (critical ones last). Pods tolerating the
 * `karpenter.sh/disrupted:NoSchedule` taint and static pods are not drained; pods with an active
 * `karpenter.sh/do-not-disrupt` annotation are waited for but never evicted. Once the NodeClaim's
 * termination time (deletion + `terminationGracePeriod`) is near, pods are deleted outright
 * (bypassing budgets and the annotation) so that each gets its `terminationGracePeriodSeconds`
 * before the deadline (pkg/utils/pod/scheduling.go, terminator.go `DeleteExpiringPods`).
 */
export const DISRUPTED_TAINT = { key: "karpenter.sh/disrupted", effect: "NoSchedule" };

export interface DrainResult {
  /** Pods the node still waits for (0: drained). */
  waiting: number;
  /** Pods whose eviction a PodDisruptionBudget refused this round. */
  blockedByBudget: string[];
}

interface PodSpec {
  nodeName?: string;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  tolerations?: { key?: string; operator?: string; effect?: string }[];
}

const specOf = (pod: KubeObject): PodSpec => (pod.spec ?? {}) as PodSpec;
const phaseOf = (pod: KubeObject): string => (pod.status as { phase?: string } | undefined)?.phase ?? "";
const ownedBy = (pod: KubeObject, kind: string): boolean =>
  (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === kind);

/** Does the pod tolerate karpenter.sh/disrupted:NoSchedule (then it is never drained)? */
export function toleratesDisrupted(pod: KubeObject): boolean {
  return (specOf(pod).tolerations ?? []).some((t) => {
    const keyMatches = t.operator === "Exists" && !t.key ? true : t.key === DISRUPTED_TAINT.key;
    return keyMatches && (!t.effect || t.effect === DISRUPTED_TAINT.effect);
  });
}

/** `karpenter.sh/do-not-disrupt: "true"` or a duration the pod has not yet run for. */
export function doNotDisruptActive(pod: KubeObject, runningMinutes: number | undefined): boolean {
  const value = pod.metadata?.annotations?.["karpenter.sh/do-not-disrupt"];
  if (value === undefined) return false;
  if (value === "true") return true;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(value);
  if (!match) return false; // an invalid value counts as absent (Karpenter emits an event)
  const minutes = Number(match[1]) * (match[2] === "h" ? 60 : match[2] === "s" ? 1 / 60 : 1);
  return runningMinutes === undefined || runningMinutes < minutes;
}

export function terminationGraceMinutes(pod: KubeObject): number {
  return (specOf(pod).terminationGracePeriodSeconds ?? 30) / 60;
}

export class Drainer {
  /** Simulated minute each pod was first seen terminating (for "stuck terminating"). */
  private readonly terminatingSince = new Map<string, number>();
  /** Simulated minute each pod was first seen running (for duration do-not-disrupt values). */
  private readonly runningSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
  ) {}

  /** Notes pod starts and terminations as they are watched. */
  observe(pod: KubeObject): void {
    const uid = pod.metadata?.uid ?? "";
    const now = this.clock.elapsedMinutes();
    if (phaseOf(pod) === "Running" && !this.runningSince.has(uid)) this.runningSince.set(uid, now);
    if (isDeleting(pod) && !this.terminatingSince.has(uid)) this.terminatingSince.set(uid, now);
  }

  forget(pod: KubeObject): void {
    this.terminatingSince.delete(pod.metadata?.uid ?? "");
    this.runningSince.delete(pod.metadata?.uid ?? "");
  }

  /**
   * One drain pass over the node's pods; `deadline` is the NodeClaim's termination time in
   * simulated minutes (undefined: no terminationGracePeriod, wait forever).
   */
  drain(node: KubeObject, pods: KubeObject[], deadline: number | undefined, reason: string): DrainResult {
    const nodeName = node.metadata?.name ?? "";
    const now = this.clock.elapsedMinutes();
    const onNode = pods.filter((p) => specOf(p).nodeName === nodeName);
    const waiting = onNode.filter((p) => this.waitingEviction(p, now));
    if (deadline !== undefined) this.deleteExpiring(waiting, deadline, now);
    const groups = this.byPriority(waiting);
    const blockedByBudget: string[] = [];
    const group = groups.find((g) => g.length > 0) ?? [];
    for (const pod of group) {
      if (isDeleting(pod)) continue;
      const running = this.runningSince.get(pod.metadata?.uid ?? "");
      if (doNotDisruptActive(pod, running === undefined ? undefined : now - running)) continue;
      const outcome = this.evict(pod, reason);
      if (outcome === "budget") blockedByBudget.push(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    }
    return { waiting: waiting.length, blockedByBudget };
  }

  private waitingEviction(pod: KubeObject, now: number): boolean {
    const phase = phaseOf(pod);
    if (phase === "Succeeded" || phase === "Failed") return false;
    if (toleratesDisrupted(pod) || ownedBy(pod, "Node")) return false;
    // IsStuckTerminating: terminating for over a minute past its grace period is no longer waited for.
    const since = this.terminatingSince.get(pod.metadata?.uid ?? "");
    if (isDeleting(pod) && since !== undefined && now - since > terminationGraceMinutes(pod) + 1)
      return false;
    return true;
  }

  /** Non-critical non-daemon, non-critical daemon, critical non-daemon, critical daemon. */
  private byPriority(pods: KubeObject[]): KubeObject[][] {
    const critical = (p: KubeObject) =>
      ["system-cluster-critical", "system-node-critical"].includes(specOf(p).priorityClassName ?? "");
    const daemon = (p: KubeObject) => ownedBy(p, "DaemonSet");
    return [
      pods.filter((p) => !critical(p) && !daemon(p)),
      pods.filter((p) => !critical(p) && daemon(p)),
      pods.filter((p) => critical(p) && !daemon(p)),
      pods.filter((p) => critical(p) && daemon(p)),
    ];
  }

  /** Pods that must start terminating now to be gone by the deadline are deleted outright. */
  private deleteExpiring(pods: KubeObject[], deadline: number, now: number): void {
    for (const pod of pods) {
      const deleteAt = deadline - terminationGraceMinutes(pod);
      if (now < deleteAt) continue;
      const since = this.terminatingSince.get(pod.metadata?.uid ?? "");
      // Already terminating with a grace that ends by the deadline: nothing to shorten.
      if (isDeleting(pod) && since !== undefined && since + terminationGraceMinutes(pod) <= deadline)
        continue;
      const graceSeconds = Math.max(Math.floor((deadline - now) * 60), 1);
      recordEvent(
        this.store,
        pod,
        "Normal",
        "Disrupted",
        `Deleting the pod to accommodate the terminationTime of the node. The pod was granted ${graceSeconds} seconds of grace-period of its ${terminationGraceMinutes(pod) * 60} terminationGracePeriodSeconds. This bypasses the PDB of the pod and the do-not-disrupt annotation.`,
        MANAGER,
      );
      this.store.delete(
        { apiVersion: "v1", kind: "Pod", name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace },
        { gracePeriodSeconds: graceSeconds },
      );
    }
  }

  private evict(pod: KubeObject, reason: string): "evicted" | "budget" | "gone" {
    try {
      this.store.evict(
        { namespace: pod.metadata?.namespace ?? "", name: pod.metadata?.name ?? "" },
        { uid: pod.metadata?.uid },
      );
    } catch (error) {
      const code = codeOf(error);
      if (code === 404 || code === 409) return "gone";
      if (code === 429 || code === 500) return "budget";
      throw error;
    }
    recordEvent(this.store, pod, "Normal", "Evicted", `Evicted pod: ${reason}`, MANAGER);
    return "evicted";
  }
}
