import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  type Condition,
  isConditionTrue,
  isDeleting,
  type KubeObject,
  keyOf,
  ownerReference,
  patchStatus,
  type Store,
  splitKey,
  tryDelete,
  tryGet,
  tryList,
  watchKind,
  withCondition,
} from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";

/**
 * The part of kube-controller-manager the platform needs: Deployments and StatefulSets get Pods
 * (owned by them, so deleting the workload deletes its Pods through the API server's garbage
 * collection), StatefulSets get PersistentVolumeClaims from their volumeClaimTemplates that are NOT
 * owned (Kubernetes' default retention keeps them — and their EBS volumes — after the StatefulSet
 * is gone), and Jobs run to completion through pluggable runners.
 *
 * Simplification: Deployment Pods are owned by the Deployment directly (no ReplicaSet level).
 */
const MANAGER = "kube-controller-manager";

export type JobOutcome = "succeeded" | "failed" | "running";

/** Decides a Job's fate; returns undefined when the runner does not handle that Job. */
export type JobRunner = (job: KubeObject) => Promise<JobOutcome | undefined> | JobOutcome | undefined;

export interface WorkloadOptions {
  /** Simulated minutes a Job without a special runner takes. */
  jobMinutes: number;
}

type Kind = "Deployment" | "StatefulSet" | "Job";

function templateHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let out = "";
  for (let i = 0; i < 10; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) || Math.imul(h + i + 1, 2654435761) >>> 0;
  }
  return out;
}

export class WorkloadControllers {
  private readonly controller: Controller;
  private readonly runners: JobRunner[] = [];
  /**
   * When each Deployment was first seen, in real ms. creationTimestamp has one-second resolution,
   * which at 20 ms per simulated minute would be up to 50 simulated minutes of error: enough to
   * declare a fresh Deployment past its 10-minute progress deadline.
   */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly random: Random,
    private readonly options: WorkloadOptions,
  ) {
    this.controller = new Controller("workloads", clock, activity, (key) => this.reconcile(key));
    for (const kind of ["Deployment", "StatefulSet", "Job"] as const) {
      const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
      this.controller.onStop(
        watchKind(store, apiVersion, kind, (_t, obj) => this.controller.enqueue(`${kind}|${keyOf(obj)}`)),
      );
    }
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (_t, pod) => {
        for (const ref of pod.metadata?.ownerReferences ?? []) {
          if (ref.kind === "Deployment" || ref.kind === "StatefulSet") {
            this.controller.enqueue(`${ref.kind}|${pod.metadata?.namespace}/${ref.name}`);
          }
        }
        // A Job's script may wait for another service (the registration Job waits for LiteLLM):
        // a pod turning Ready lets waiting Jobs look again at once.
        if (isConditionTrue(pod, "Ready")) {
          for (const job of tryList(store, "batch/v1", "Job")) {
            if (!((job.status as { succeeded?: number } | undefined)?.succeeded ?? 0))
              this.controller.enqueue(`Job|${keyOf(job)}`);
          }
        }
      }),
    );
  }

  addJobRunner(runner: JobRunner): void {
    this.runners.push(runner);
  }

  stop(): void {
    this.controller.stop();
  }

  private async reconcile(key: string): Promise<void> {
    const bar = key.indexOf("|");
    const kind = key.slice(0, bar) as Kind;
    const { namespace, name } = splitKey(key.slice(bar + 1));
    const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
    const obj = tryGet(this.store, { apiVersion, kind, name, namespace });
    if (!obj || isDeleting(obj)) return;
    if (kind === "Job") await this.reconcileJob(obj);
    else this.reconcileReplicas(obj, kind);
  }

  private ownedPods(owner: KubeObject): KubeObject[] {
    return tryList(this.store, "v1", "Pod", { namespace: owner.metadata?.namespace }).filter((p) =>
      (p.metadata?.ownerReferences ?? []).some((r) => r.uid === owner.metadata?.uid),
    );
  }

  private reconcileReplicas(owner: KubeObject, kind: "Deployment" | "StatefulSet"): void {
    const spec = (owner.spec ?? {}) as {
      replicas?: number;
      template?: KubeObject;
      volumeClaimTemplates?: KubeObject[];
    };
    const replicas = spec.replicas ?? 1;
    const pods = this.ownedPods(owner).filter((p) => !isDeleting(p));
    const ns = owner.metadata?.namespace ?? "default";
    const base = owner.metadata?.name ?? "";
    if (kind === "StatefulSet") {
      for (let i = 0; i < replicas; i++) {
        const podName = `${base}-${i}`;
        for (const tmpl of spec.volumeClaimTemplates ?? [])
          this.ensureClaim(ns, `${tmpl.metadata?.name}-${podName}`, tmpl);
        if (!pods.some((p) => p.metadata?.name === podName)) this.createPod(owner, podName);
      }
      for (const p of pods) {
        const ordinal = Number((p.metadata?.name ?? "").slice(base.length + 1));
        if (!(ordinal < replicas))
          tryDelete(this.store, {
            apiVersion: "v1",
            kind: "Pod",
            name: p.metadata?.name ?? "",
            namespace: ns,
          });
      }
    } else {
      for (let i = pods.length; i < replicas; i++)
        this.createPod(
          owner,
          `${base}-${templateHash(JSON.stringify(spec.template ?? {}))}-${this.random.suffix()}`,
        );
      for (const p of pods.slice(replicas)) {
        tryDelete(this.store, { apiVersion: "v1", kind: "Pod", name: p.metadata?.name ?? "", namespace: ns });
      }
    }
    const live = this.ownedPods(owner).filter((p) => !isDeleting(p));
    const ready = live.filter((p) => isConditionTrue(p, "Ready")).length;
    const status: Record<string, unknown> = {
      observedGeneration: owner.metadata?.generation,
      replicas: live.length,
      readyReplicas: ready,
      updatedReplicas: live.length,
      currentReplicas: live.length,
    };
    if (kind === "Deployment") {
      status.availableReplicas = ready;
      status.unavailableReplicas = Math.max(0, replicas - ready);
      const available = ready >= replicas;
      let conditions = withCondition((owner.status as { conditions?: unknown })?.conditions, {
        type: "Available",
        status: available ? "True" : "False",
        reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        message: available
          ? "Deployment has minimum availability."
          : "Deployment does not have minimum availability.",
      });
      conditions = withCondition(conditions, this.progressing(owner, available));
      status.conditions = conditions;
    } else {
      status.availableReplicas = ready;
    }
    patchStatus(this.store, owner, status, MANAGER);
  }

  /**
   * The Progressing condition: after `progressDeadlineSeconds` (default 600) without becoming
   * available, reason ProgressDeadlineExceeded — what ArgoCD reports as Degraded.
   */
  private progressing(owner: KubeObject, available: boolean): Condition {
    const name = owner.metadata?.name ?? "";
    if (available) {
      return {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        message: `ReplicaSet "${name}" has successfully progressed.`,
      };
    }
    const deadlineMinutes =
      ((owner.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds ?? 600) / 60;
    const key = owner.metadata?.uid ?? keyOf(owner);
    if (!this.firstSeen.has(key)) this.firstSeen.set(key, Date.now());
    const elapsedMinutes = (Date.now() - this.firstSeen.get(key)!) / this.clock.realMs(1);
    if (elapsedMinutes >= deadlineMinutes) {
      return {
        type: "Progressing",
        status: "False",
        reason: "ProgressDeadlineExceeded",
        message: `ReplicaSet "${name}" has timed out progressing.`,
      };
    }
    this.controller.enqueueAfter(`Deployment|${keyOf(owner)}`, deadlineMinutes - elapsedMinutes + 0.05);
    return {
      type: "Progressing",
      status: "True",
      reason: "ReplicaSetUpdated",
      message: `ReplicaSet "${name}" is progressing.`,
    };
  }

  private ensureClaim(namespace: string, name: string, tmpl: KubeObject): void {
    if (tryGet(this.store, { apiVersion: "v1", kind: "PersistentVolumeClaim", name, namespace })) return;
    this.store.create(
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name, namespace, labels: tmpl.metadata?.labels },
        spec: tmpl.spec,
      },
      { fieldManager: MANAGER },
    );
  }

  private createPod(owner: KubeObject, name: string): void {
    const template = ((owner.spec as { template?: KubeObject } | undefined)?.template ?? {}) as KubeObject;
    const spec = { ...((template.spec ?? {}) as Record<string, unknown>) };
    if (owner.kind === "StatefulSet") {
      const claims = ((owner.spec as { volumeClaimTemplates?: KubeObject[] }).volumeClaimTemplates ?? []).map(
        (t) => ({
          name: t.metadata?.name,
          persistentVolumeClaim: { claimName: `${t.metadata?.name}-${name}` },
        }),
      );
      spec.volumes = [...((spec.volumes as unknown[]) ?? []), ...claims];
      spec.hostname = name;
    }
    this.store.create(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: owner.metadata?.namespace,
          labels: template.metadata?.labels ?? {},
          annotations: template.metadata?.annotations,
          ownerReferences: [ownerReference(owner)],
        },
        spec,
        status: { phase: "Pending" },
      },
      { fieldManager: MANAGER },
    );
  }

  private async reconcileJob(job: KubeObject): Promise<void> {
    const status = (job.status ?? {}) as { succeeded?: number; failed?: number; startTime?: string };
    if ((status.succeeded ?? 0) > 0) return;
    if (!status.startTime) {
      patchStatus(
        this.store,
        job,
        { startTime: `${new Date().toISOString().slice(0, 19)}Z`, active: 1 },
        MANAGER,
      );
    }
    let outcome: JobOutcome | undefined;
    for (const runner of this.runners) {
      outcome = await runner(job);
      if (outcome !== undefined) break;
    }
    const key = `Job|${keyOf(job)}`;
    if (outcome === undefined) {
      // A plain Job: done after a short while.
      const started = status.startTime ? Date.parse(status.startTime) : Date.now();
      outcome = Date.now() - started >= this.clock.realMs(this.options.jobMinutes) ? "succeeded" : "running";
      if (outcome === "running") this.controller.enqueueAfter(key, this.options.jobMinutes);
    } else if (outcome === "running") {
      // Like the registration script's polling loop (sleep 10 / sleep 5). Background: a Job
      // that waits forever must not keep settle() waiting.
      this.controller.enqueueAfter(key, 0.25, true);
    }
    if (outcome === "succeeded") {
      const now = `${new Date().toISOString().slice(0, 19)}Z`;
      patchStatus(
        this.store,
        job,
        {
          active: 0,
          succeeded: 1,
          completionTime: now,
          conditions: [
            { type: "SuccessCriteriaMet", status: "True", lastTransitionTime: now },
            { type: "Complete", status: "True", lastTransitionTime: now },
          ],
        },
        MANAGER,
      );
    }
  }
}
