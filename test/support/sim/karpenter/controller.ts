import { findInstanceType, type InstanceType, nodeResources } from "../cloud/instance-types.js";
import type { CloudLedger } from "../cloud/ledger.js";
import type { Resources } from "../kube/scheduling.js";
import { parseDurationMinutes, type SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  addFinalizer,
  conditionOf,
  isConditionTrue,
  isDeleting,
  type KubeObject,
  labelsOf,
  patchStatus,
  recordEvent,
  type Store,
  tryDelete,
  tryGet,
  tryList,
  watchKind,
  withCondition,
} from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
import { allowedDisruptions } from "./budgets.js";
import { launchInstance, registerNode } from "./instances.js";
import { NODECLASS_API, reconcileNodeClass } from "./nodeclass.js";
import { API, chooseOffering, createNodeClaim, FINALIZER, MANAGER } from "./provisioning.js";
import { podRequests } from "./selection.js";
import { Termination } from "./termination.js";

/**
 * Karpenter v1 (aws/karpenter-provider-aws 1.x): Pods the scheduler marked Unschedulable make a
 * NodeClaim of the cheapest instance type the matching NodePool allows; after `launchMinutes` the
 * instance runs (condition Launched, billed in the ledger), after `registerMinutes` its Node joins
 * (Registered, Initialized) with the pool's labels and taints. An injected capacity error shows
 * on the NodeClaim (Launched=False, reason InsufficientCapacityError, an Event of that name), which
 * is then deleted and retried with the next cheapest type. Nodes that stay empty for the pool's
 * `consolidateAfter` are terminated; deleting a NodePool terminates its NodeClaims. Termination is
 * guarded by the `karpenter.sh/termination` finalizer on NodeClaims and Nodes (termination.ts: taint,
 * drain through the Eviction API, terminate): once the controller is stopped, nothing is terminated
 * any more and the instances keep billing. Consolidation honours the pool's disruption budgets.
 */

export interface KarpenterOptions {
  clusterName: string;
  launchMinutes: number;
  registerMinutes: number;
  terminateMinutes: number;
  /** How long an instance type stays unavailable after a capacity error (Karpenter: 3 minutes). */
  unavailableMinutes: number;
  /** Region in the tags of the instance profiles it makes (default us-east-1). */
  region?: string;
}

interface Nomination {
  claim: string;
  requests: Resources;
}

export class KarpenterController {
  private readonly controller: Controller;
  private readonly nominated = new Map<string, Nomination>();
  private readonly capacityErrors = new Set<string>();
  private readonly unavailable = new Map<string, number>();
  private readonly emptySince = new Map<string, number>();
  /** Claims with a launch or a termination in progress ("<name>", "terminating:<name>", "terminated:<name>"). */
  private readonly inFlight = new Set<string>();
  private readonly termination: Termination;

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly random: Random,
    private readonly ledger: CloudLedger,
    private readonly options: KarpenterOptions,
  ) {
    this.controller = new Controller("karpenter", clock, activity, (key) => this.reconcile(key));
    this.termination = new Termination({
      store,
      clock,
      ledger,
      terminateMinutes: options.terminateMinutes,
      isStopped: () => this.controller.isStopped,
      enqueue: (key) => this.controller.enqueue(key),
      enqueueAfter: (key, minutes, background) => this.controller.enqueueAfter(key, minutes, background),
    });
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (type, pod) => {
        if (type === "DELETED") {
          this.nominated.delete(pod.metadata?.uid ?? "");
          this.termination.drainer.forget(pod);
        } else this.termination.drainer.observe(pod);
        if (conditionOf(pod, "PodScheduled")?.reason === "Unschedulable")
          this.controller.enqueue("provision");
        this.controller.enqueue("consolidate");
        const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? "";
        if (this.termination.draining.has(nodeName)) this.controller.enqueue(`node|${nodeName}`);
      }),
    );
    this.controller.onStop(
      watchKind(store, API, "NodeClaim", (_t, c) => {
        this.controller.enqueue(`claim|${c.metadata?.name}`);
        const nodeClass = (c.spec as { nodeClassRef?: { name?: string } } | undefined)?.nodeClassRef?.name;
        if (nodeClass) this.controller.enqueue(`nodeclass|${nodeClass}`);
      }),
    );
    this.controller.onStop(watchKind(store, API, "NodePool", () => this.controller.enqueue("pools")));
    // A budget that changes may unblock a drain (Karpenter simply retries its evictions each second).
    this.controller.onStop(
      watchKind(store, "policy/v1", "PodDisruptionBudget", () => {
        for (const node of this.termination.draining) this.controller.enqueue(`node|${node}`);
      }),
    );
    this.controller.onStop(
      watchKind(store, NODECLASS_API, "EC2NodeClass", (_t, nc) =>
        this.controller.enqueue(`nodeclass|${nc.metadata?.name}`),
      ),
    );
    this.controller.onStop(
      watchKind(store, "v1", "Node", (_t, node) => {
        this.controller.enqueue("consolidate");
        const claim = labelsOf(node)["karpenter.sh/nodeclaim"];
        if (claim) this.controller.enqueue(`claim|${claim}`);
        if (isDeleting(node)) this.controller.enqueue(`node|${node.metadata?.name}`);
      }),
    );
  }

  /** Launches of this instance type (or of every type) fail with InsufficientInstanceCapacity. */
  injectCapacityError(instanceType: string): () => void {
    this.capacityErrors.add(instanceType);
    return () => this.capacityErrors.delete(instanceType);
  }

  /**
   * With every offering failing, launches retry forever; after the first failure they run on
   * background timers so that settle() returns with the error visible.
   */
  private endlessCapacityError(): boolean {
    return this.capacityErrors.has("all") && this.unavailable.size > 0;
  }

  get stopped(): boolean {
    return this.controller.isStopped;
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    if (key === "provision") this.provision();
    else if (key === "consolidate") this.consolidate();
    else if (key === "pools") this.reconcilePools();
    else if (key.startsWith("claim|")) this.reconcileClaim(key.slice(6));
    else if (key.startsWith("node|")) this.reconcileNode(key.slice(5));
    else if (key.startsWith("nodeclass|")) this.reconcileNodeClass(key.slice(10));
  }

  private reconcileNode(name: string): void {
    const node = tryGet(this.store, { apiVersion: "v1", kind: "Node", name });
    if (node && isDeleting(node)) this.termination.finalizeNode(node);
    else this.termination.draining.delete(name);
  }

  private reconcileNodeClass(name: string): void {
    const nodeClass = tryGet(this.store, { apiVersion: NODECLASS_API, kind: "EC2NodeClass", name });
    if (!nodeClass) return;
    reconcileNodeClass(this.store, this.ledger, nodeClass, {
      clusterName: this.options.clusterName,
      region: this.options.region ?? "us-east-1",
    });
  }

  private claims(): KubeObject[] {
    return tryList(this.store, API, "NodeClaim");
  }

  private provision(): void {
    const claims = new Map(this.claims().map((c) => [c.metadata?.name ?? "", c]));
    const pending = tryList(this.store, "v1", "Pod").filter(
      (p) =>
        !isDeleting(p) &&
        conditionOf(p, "PodScheduled")?.reason === "Unschedulable" &&
        !(p.spec as { nodeName?: string }).nodeName,
    );
    for (const pod of pending) {
      const uid = pod.metadata?.uid ?? "";
      const nomination = this.nominated.get(uid);
      const claim = nomination ? claims.get(nomination.claim) : undefined;
      if (claim && !isDeleting(claim) && conditionOf(claim, "Launched")?.status !== "False") continue;
      this.nominated.delete(uid);
      const created = this.createClaimFor(pod);
      if (created) {
        claims.set(created.metadata?.name ?? "", created);
        this.nominated.set(uid, { claim: created.metadata?.name ?? "", requests: podRequests(pod) });
      } else {
        // Karpenter re-evaluates pending pods in batches; offerings come back after a while.
        this.controller.enqueueAfter("provision", 1, true);
      }
    }
  }

  private createClaimFor(pod: KubeObject): KubeObject | undefined {
    const pools = tryList(this.store, API, "NodePool").filter((p) => !isDeleting(p));
    const choice = chooseOffering(pod, pools, this.claims(), this.unavailable, this.clock.elapsedMinutes());
    if ("reasons" in choice) {
      const why = choice.reasons.join("; ") || "no nodepools found";
      recordEvent(this.store, pod, "Warning", "FailedScheduling", `Failed to schedule pod, ${why}`, MANAGER);
      return undefined;
    }
    return createNodeClaim(this.store, this.random, choice.pool, choice.template, choice.type);
  }

  private reconcileClaim(name: string): void {
    const claim = tryGet(this.store, { apiVersion: API, kind: "NodeClaim", name });
    if (!claim) return;
    if (isDeleting(claim)) {
      this.termination.finalizeClaim(claim);
      return;
    }
    addFinalizer(this.store, claim, FINALIZER, MANAGER);
    this.initialize(claim);
    if (!conditionOf(claim, "Launched") && !this.inFlight.has(name)) {
      this.inFlight.add(name);
      this.clock.after(this.options.launchMinutes, () => this.launch(name), {
        background: this.endlessCapacityError(),
      });
    }
  }

  private launch(name: string): void {
    this.inFlight.delete(name);
    if (this.controller.isStopped) return;
    const claim = tryGet(this.store, { apiVersion: API, kind: "NodeClaim", name });
    if (!claim || isDeleting(claim)) return;
    const typeName = labelsOf(claim)["node.kubernetes.io/instance-type"] ?? "";
    const type = findInstanceType(typeName);
    if (!type) return;
    const zone = "us-east-1a";
    if (this.capacityErrors.has(typeName) || this.capacityErrors.has("all")) {
      const message = `creating instance, insufficient capacity, with fleet error(s), InsufficientInstanceCapacity: We currently do not have sufficient ${typeName} capacity in the Availability Zone you requested (${zone}).`;
      patchStatus(
        this.store,
        claim,
        {
          conditions: withCondition(undefined, {
            type: "Launched",
            status: "False",
            reason: "InsufficientCapacityError",
            message,
          }),
        },
        MANAGER,
      );
      recordEvent(
        this.store,
        claim,
        "Warning",
        "InsufficientCapacityError",
        `NodeClaim ${name} event: ${message}`,
        MANAGER,
      );
      this.unavailable.set(typeName, this.clock.elapsedMinutes() + this.options.unavailableMinutes);
      // Karpenter deletes the failed NodeClaim and provisions again with another offering; the
      // failed claim stays visible for a simulated minute so that waiting tools can report it.
      this.clock.after(
        1,
        () => {
          tryDelete(this.store, { apiVersion: API, kind: "NodeClaim", name });
          this.controller.enqueue("provision");
        },
        { background: this.endlessCapacityError() },
      );
      return;
    }
    const instance = launchInstance(this.ledger, this.options.clusterName, claim, type);
    const { capacity, allocatable } = nodeResources(type);
    const conditions = withCondition(undefined, { type: "Launched", status: "True" });
    patchStatus(
      this.store,
      claim,
      {
        providerID: `aws:///${zone}/${instance.id}`,
        imageID: "ami-0al2023nvidia",
        capacity,
        allocatable,
        conditions,
      },
      MANAGER,
    );
    this.clock.after(this.options.registerMinutes, () => this.register(name, type, instance.id, zone));
  }

  private register(name: string, type: InstanceType, instanceId: string, zone: string): void {
    if (this.controller.isStopped) return;
    const claim = tryGet(this.store, { apiVersion: API, kind: "NodeClaim", name });
    if (!claim || isDeleting(claim)) return;
    const nodeName = registerNode(this.store, this.random, claim, type, instanceId, zone);
    const conditions = withCondition((claim.status as { conditions?: unknown })?.conditions, {
      type: "Registered",
      status: "True",
    });
    patchStatus(this.store, claim, { nodeName, conditions }, MANAGER);
    this.controller.enqueue(`claim|${name}`);
    recordEvent(
      this.store,
      claim,
      "Normal",
      "Registered",
      `Status condition transitioned, Type: Registered, Status: True`,
      MANAGER,
    );
  }

  /**
   * Initialized once the Node is Ready and its extended resources (GPUs) are registered — which
   * needs the NVIDIA device plugin; until then the node is not disrupted and pods wait for it.
   */
  private initialize(claim: KubeObject): void {
    const nodeName = (claim.status as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName || isConditionTrue(claim, "Initialized")) return;
    const node = tryGet(this.store, { apiVersion: "v1", kind: "Node", name: nodeName });
    if (!node) return;
    const type = findInstanceType(labelsOf(claim)["node.kubernetes.io/instance-type"] ?? "");
    const allocatable = ((node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ??
      {}) as Record<string, string>;
    const gpusRegistered =
      !type || type.gpus === 0 || Number(allocatable["nvidia.com/gpu"] ?? 0) >= type.gpus;
    const conditions = withCondition((claim.status as { conditions?: unknown })?.conditions, {
      type: "Initialized",
      status: gpusRegistered ? "True" : "False",
      reason: gpusRegistered ? "Initialized" : "ExtendedResourcesNotRegistered",
      message: gpusRegistered ? "" : 'Resource "nvidia.com/gpu" was requested but not registered',
    });
    patchStatus(
      this.store,
      claim,
      { conditions: withCondition(conditions, { type: "Ready", status: gpusRegistered ? "True" : "False" }) },
      MANAGER,
    );
  }

  private reconcilePools(): void {
    const pools = new Set(
      tryList(this.store, API, "NodePool")
        .filter((p) => !isDeleting(p))
        .map((p) => p.metadata?.name),
    );
    for (const claim of this.claims()) {
      if (!pools.has(labelsOf(claim)["karpenter.sh/nodepool"]) && !isDeleting(claim)) {
        tryDelete(this.store, { apiVersion: API, kind: "NodeClaim", name: claim.metadata?.name ?? "" });
      }
    }
    this.controller.enqueue("provision");
  }

  /** Empty nodes go after the pool's consolidateAfter (WhenEmpty and WhenEmptyOrUnderutilized). */
  private consolidate(): void {
    const pods = tryList(this.store, "v1", "Pod").filter((p) => !isDeleting(p));
    const now = this.clock.elapsedMinutes();
    for (const claim of this.claims()) {
      const name = claim.metadata?.name ?? "";
      const nodeName = (claim.status as { nodeName?: string } | undefined)?.nodeName;
      if (isDeleting(claim) || !nodeName || !isConditionTrue(claim, "Initialized")) continue;
      const busy = pods.some((p) => (p.spec as { nodeName?: string }).nodeName === nodeName && !isDaemon(p));
      const nominatedHere = [...this.nominated.values()].some((n) => n.claim === name);
      if (busy || nominatedHere) {
        this.emptySince.delete(name);
        continue;
      }
      const pool = tryGet(this.store, {
        apiVersion: API,
        kind: "NodePool",
        name: labelsOf(claim)["karpenter.sh/nodepool"] ?? "",
      });
      const disruption = ((pool?.spec as { disruption?: { consolidateAfter?: string } } | undefined)
        ?.disruption ?? {}) as {
        consolidateAfter?: string;
      };
      const after = parseDurationMinutes(disruption.consolidateAfter, 0);
      if (!Number.isFinite(after)) continue;
      const since = this.emptySince.get(name);
      if (since === undefined) {
        this.emptySince.set(name, now);
        this.controller.enqueueAfter("consolidate", after + 0.01);
      } else if (now - since >= after) {
        if (pool && allowedDisruptions(pool, this.claims(), "Empty") <= 0) {
          recordEvent(
            this.store,
            pool,
            "Normal",
            "DisruptionBlocked",
            "No allowed disruptions for disruption reason Empty due to blocking budget",
            MANAGER,
          );
          // Budgets free up as other nodes finish terminating (a NodeClaim event) or never.
          continue;
        }
        this.emptySince.delete(name);
        patchStatus(
          this.store,
          claim,
          {
            conditions: withCondition((claim.status as { conditions?: unknown })?.conditions, {
              type: "DisruptionReason",
              status: "True",
              reason: "Empty",
              message: "",
            }),
          },
          MANAGER,
        );
        recordEvent(
          this.store,
          claim,
          "Normal",
          "DisruptionTerminating",
          "Disrupting NodeClaim: Empty",
          MANAGER,
        );
        tryDelete(this.store, { apiVersion: API, kind: "NodeClaim", name });
      } else {
        // Not due yet (timers may fire a hair early): look again when it is.
        this.controller.enqueueAfter("consolidate", after - (now - since) + 0.05);
      }
    }
  }
}

function isDaemon(pod: KubeObject): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === "DaemonSet");
}
