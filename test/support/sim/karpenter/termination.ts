import type { CloudLedger } from "../cloud/ledger.js";
import { parseDurationMinutes, type SimClock } from "../runtime/clock.js";
import {
  conditionOf,
  hasFinalizer,
  isDeleting,
  type KubeObject,
  labelsOf,
  patchStatus,
  recordEvent,
  refOf,
  removeFinalizer,
  type Store,
  tryDelete,
  tryGet,
  tryList,
  withCondition,
} from "../runtime/kube.js";
import { DISRUPTED_TAINT, Drainer, terminationGraceMinutes } from "./drain.js";
import { API, FINALIZER, MANAGER } from "./provisioning.js";

/**
 * NodeClaim and Node termination (kubernetes-sigs/karpenter v1.14.1):
 * - pkg/controllers/nodeclaim/lifecycle/controller.go `finalize`: a deleted NodeClaim gets the
 *   `karpenter.sh/nodeclaim-termination-timestamp` annotation (deletion + the claim's
 *   `terminationGracePeriod`), deletes its Node and waits until the Node is gone, then makes sure
 *   the instance is terminating (InstanceTerminating) and releases `karpenter.sh/termination`.
 * - pkg/controllers/node/termination/controller.go `finalize`: a deleted Node (which carries the
 *   same finalizer since registration) deletes its NodeClaim, is tainted
 *   `karpenter.sh/disrupted:NoSchedule` and labelled `node.kubernetes.io/exclude-from-external-load-balancers`,
 *   drains (drain.ts; NodeClaim condition Drained Unknown/Draining, then True; a blocked drain
 *   publishes `FailedDraining` on the Node: "Failed to drain node, N pods are waiting to be
 *   evicted", or "... evicting pod violates a PDB"), terminates the instance and only then drops
 *   its finalizer. Without a terminationGracePeriod a blocked drain waits forever.
 * While Karpenter is stopped nothing here runs: Nodes and NodeClaims stay Terminating.
 */
export const TERMINATION_TIME = "karpenter.sh/nodeclaim-termination-timestamp";
const EXCLUDE_LB = "node.kubernetes.io/exclude-from-external-load-balancers";

export interface TerminationHost {
  store: Store;
  clock: SimClock;
  ledger: CloudLedger;
  terminateMinutes: number;
  isStopped(): boolean;
  enqueue(key: string): void;
  enqueueAfter(key: string, minutes: number, background?: boolean): void;
}

const statusOf = (claim: KubeObject) =>
  (claim.status ?? {}) as { nodeName?: string; providerID?: string; conditions?: unknown };

export class Termination {
  readonly drainer: Drainer;
  /** NodeClaim uid → termination time in simulated minutes (undefined: no grace period). */
  private readonly deadlines = new Map<string, number | undefined>();
  /** Instance ids whose TerminateInstances is under way. */
  private readonly terminating = new Set<string>();
  /** Nodes whose drain is waiting (pod changes look at them again). */
  readonly draining = new Set<string>();

  constructor(private readonly host: TerminationHost) {
    this.drainer = new Drainer(host.store, host.clock);
  }

  finalizeClaim(claim: KubeObject): void {
    if (!hasFinalizer(claim, FINALIZER)) return;
    const { store } = this.host;
    this.deadlineOf(claim);
    const nodeName = statusOf(claim).nodeName;
    const node = nodeName ? tryGet(store, { apiVersion: "v1", kind: "Node", name: nodeName }) : undefined;
    if (node) {
      if (!isDeleting(node)) tryDelete(store, refOf(node));
      return; // the Node's own finalizer drains it; its removal brings us back here
    }
    if (!this.instanceGone(claim, `claim|${claim.metadata?.name}`)) return;
    removeFinalizer(store, claim, FINALIZER, MANAGER);
  }

  finalizeNode(node: KubeObject): void {
    if (!hasFinalizer(node, FINALIZER)) return;
    const { store } = this.host;
    const name = node.metadata?.name ?? "";
    const claimName = labelsOf(node)["karpenter.sh/nodeclaim"] ?? "";
    let claim = tryGet(store, { apiVersion: API, kind: "NodeClaim", name: claimName });
    if (claim && !isDeleting(claim)) {
      tryDelete(store, refOf(claim));
      claim = tryGet(store, refOf(claim));
    }
    // The instance is gone and the kubelet with it: nothing to drain (node/termination
    // controller.go `finalize`: a NotReady node whose instance the cloud provider does not find).
    if (conditionOf(node, "Ready")?.status !== "True" && this.instanceNotFound(node)) {
      this.draining.delete(name);
      removeFinalizer(store, node, FINALIZER, MANAGER);
      return;
    }
    const deadline = claim ? this.deadlineOf(claim) : undefined;
    this.taint(node);
    if (claim && !conditionOf(claim, "Drained"))
      this.setCondition(claim, {
        type: "Drained",
        status: "Unknown",
        reason: "Draining",
        message: "Draining",
      });
    const reason = conditionOf(claim, "DisruptionReason")?.reason ?? "Forceful Termination";
    const result = this.drainer.drain(node, tryList(store, "v1", "Pod"), deadline, reason);
    for (const pod of result.blockedByBudget) {
      recordEvent(
        store,
        node,
        "Warning",
        "FailedDraining",
        `Failed to drain node, evicting pod violates a PDB (Pod=${pod})`,
        MANAGER,
      );
    }
    if (result.waiting > 0) {
      this.draining.add(name);
      recordEvent(
        store,
        node,
        "Warning",
        "FailedDraining",
        `Failed to drain node, ${result.waiting} pods are waiting to be evicted`,
        MANAGER,
      );
      // Karpenter requeues every second; budgets and do-not-disrupt durations change without a
      // pod event, so look again each simulated minute (background: a blocked drain can be endless).
      this.host.enqueueAfter(`node|${name}`, 1, true);
      if (deadline !== undefined) this.wakeForDeadline(name, deadline);
      return;
    }
    this.draining.delete(name);
    if (claim) {
      this.setCondition(claim, { type: "Drained", status: "True", reason: "Drained" });
      this.setCondition(claim, { type: "VolumesDetached", status: "True", reason: "VolumesDetached" });
      if (!this.instanceGone(claim, `node|${name}`)) return;
    }
    removeFinalizer(store, node, FINALIZER, MANAGER);
  }

  /** The claim's termination time, annotated once (deletion + spec.terminationGracePeriod). */
  private deadlineOf(claim: KubeObject): number | undefined {
    const uid = claim.metadata?.uid ?? "";
    if (this.deadlines.has(uid)) return this.deadlines.get(uid);
    const grace = (claim.spec as { terminationGracePeriod?: string } | undefined)?.terminationGracePeriod;
    const minutes = grace ? parseDurationMinutes(grace, Number.NaN) : Number.NaN;
    if (!Number.isFinite(minutes)) {
      this.deadlines.set(uid, undefined);
      return undefined;
    }
    const deadline = this.host.clock.elapsedMinutes() + minutes;
    this.deadlines.set(uid, deadline);
    // Shown as a wall-clock time the way a real cluster would show it (deletion + grace period).
    const at = `${new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 19)}Z`;
    this.host.store.patch(refOf(claim), { metadata: { annotations: { [TERMINATION_TIME]: at } } }, "merge", {
      fieldManager: MANAGER,
    });
    recordEvent(
      this.host.store,
      claim,
      "Warning",
      "TerminationGracePeriodExpiring",
      `All pods will be deleted by ${at}`,
      MANAGER,
    );
    return deadline;
  }

  /** Looks at the node again when a pod must be deleted to make the deadline, and at the deadline. */
  private wakeForDeadline(nodeName: string, deadline: number): void {
    const now = this.host.clock.elapsedMinutes();
    const pods = tryList(this.host.store, "v1", "Pod").filter(
      (p) => (p.spec as { nodeName?: string }).nodeName === nodeName,
    );
    const times = [deadline, ...pods.map((p) => deadline - terminationGraceMinutes(p))].filter(
      (t) => t > now,
    );
    if (times.length > 0) this.host.enqueueAfter(`node|${nodeName}`, Math.min(...times) - now + 0.01);
  }

  /**
   * cloudProvider.Get's NodeClaimNotFoundError: the node's instance is terminated or unknown to EC2
   * (karpenter-provider-aws looks only at pending/running/stopping/stopped/shutting-down instances).
   */
  private instanceNotFound(node: KubeObject): boolean {
    const id = ((node.spec as { providerID?: string } | undefined)?.providerID ?? "").split("/").pop();
    if (!id) return false;
    const instance = this.host.ledger.find(id) as { deletedAtMinute?: number } | undefined;
    return !instance || instance.deletedAtMinute !== undefined;
  }

  /** Starts TerminateInstances once; true when the instance is gone (or never existed). */
  private instanceGone(claim: KubeObject, requeue: string): boolean {
    const id = statusOf(claim).providerID?.split("/").pop();
    if (!id) return true;
    const instance = this.host.ledger.find(id) as
      | { deletedAtMinute?: number; deletingSinceMinute?: number }
      | undefined;
    // EC2 reports a shutting-down instance as gone to Karpenter (it filters on live states).
    if (!instance || instance.deletedAtMinute !== undefined || instance.deletingSinceMinute !== undefined)
      return true;
    if (!this.terminating.has(id)) {
      this.terminating.add(id);
      this.setCondition(claim, {
        type: "InstanceTerminating",
        status: "True",
        reason: "InstanceTerminating",
      });
      this.host.clock.after(this.host.terminateMinutes, () => {
        this.terminating.delete(id);
        if (this.host.isStopped()) return;
        this.host.ledger.delete(id);
        this.host.enqueue(requeue);
      });
    }
    return false;
  }

  private taint(node: KubeObject): void {
    const taints = ((node.spec as { taints?: { key: string; effect?: string }[] } | undefined)?.taints ??
      []) as { key: string; effect?: string }[];
    const tainted = taints.some((t) => t.key === DISRUPTED_TAINT.key && t.effect === DISRUPTED_TAINT.effect);
    if (tainted && labelsOf(node)[EXCLUDE_LB] === "karpenter") return;
    const next = [...taints.filter((t) => t.key !== DISRUPTED_TAINT.key), DISRUPTED_TAINT];
    this.host.store.patch(
      refOf(node),
      {
        metadata: { labels: { [EXCLUDE_LB]: "karpenter" }, resourceVersion: node.metadata?.resourceVersion },
        spec: { taints: next },
      },
      "merge",
      { fieldManager: MANAGER },
    );
  }

  private setCondition(
    claim: KubeObject,
    condition: { type: string; status: "True" | "False" | "Unknown"; reason: string; message?: string },
  ): void {
    const live = tryGet(this.host.store, refOf(claim));
    if (!live) return;
    const current = conditionOf(live, condition.type);
    if (current?.status === condition.status && current.reason === condition.reason) return;
    patchStatus(
      this.host.store,
      live,
      { conditions: withCondition(statusOf(live).conditions, { message: "", ...condition }) },
      MANAGER,
    );
  }
}
