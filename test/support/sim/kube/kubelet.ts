import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  isDeleting,
  isNotFound,
  type KubeObject,
  keyOf,
  patchStatus,
  recordEvent,
  refOf,
  type Store,
  splitKey,
  tryGet,
  tryList,
  watchKind,
  withCondition,
} from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
import { containerStatuses } from "./pod-status.js";
import { describeUnschedulable, fitPodOnNode, podRequests } from "./scheduling.js";

function forceDelete(store: Store, pod: KubeObject): void {
  try {
    store.delete(refOf(pod), { gracePeriodSeconds: 0 });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

const cpuUsed = (pods: KubeObject[]): number => pods.reduce((n, p) => n + podRequests(p).cpu, 0);

/**
 * kube-scheduler and the kubelets in one controller: binds Pending Pods to a fitting Ready Node
 * (or marks them Unschedulable with a FailedScheduling Event, which is what Karpenter reacts to),
 * then pulls images, starts containers and turns Ready after the configured delays, recording
 * the Events `kubectl describe pod` shows (Scheduled, Pulling, Pulled, Started, Failed).
 * Pods bound to a Node that is gone are deleted (the pod garbage collector).
 */
const MANAGER = "kubelet";

export interface KubeletOptions {
  /** Simulated minutes to pull an ordinary image. */
  imagePullMinutes: number;
  /** Simulated minutes to pull a large image (the ~15 GB ray-llm image). */
  largeImagePullMinutes: number;
  isLargeImage: (image: string) => boolean;
  /** Simulated minutes from container start to Ready. */
  readyMinutes: number;
}

export interface PodHooks {
  onRunning?(pod: KubeObject): void;
  onGone?(pod: KubeObject): void;
}

interface Progress {
  node: string;
  stage: "pulling" | "pull-failed" | "starting" | "running";
}

export class Kubelet {
  private readonly controller: Controller;
  private readonly progress = new Map<string, Progress>();
  private readonly pullErrors: { match: (pod: KubeObject) => boolean; message: string }[] = [];
  private readonly hooks: PodHooks[] = [];
  /** Pods whose containers are stopping (uid → "uid:grace" of the timer running). */
  private readonly stopping = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly random: Random,
    private readonly options: KubeletOptions,
  ) {
    this.controller = new Controller("kubelet", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (type, pod) => {
        if (type === "DELETED") {
          this.progress.delete(pod.metadata?.uid ?? "");
          this.stopping.delete(pod.metadata?.uid ?? "");
          for (const h of this.hooks) h.onGone?.(pod);
          return;
        }
        this.controller.enqueue(keyOf(pod));
      }),
    );
    this.controller.onStop(
      watchKind(store, "v1", "Node", (type, node) => {
        for (const pod of tryList(store, "v1", "Pod")) {
          const bound = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
          if (!bound || (type === "DELETED" && bound === node.metadata?.name))
            this.controller.enqueue(keyOf(pod));
        }
      }),
    );
  }

  addHooks(hooks: PodHooks): void {
    this.hooks.push(hooks);
  }

  /** From now on, pulling the image of matching Pods fails (until cleared). */
  injectImagePullError(match: (pod: KubeObject) => boolean, message: string): () => void {
    const entry = { match, message };
    this.pullErrors.push(entry);
    return () => {
      const i = this.pullErrors.indexOf(entry);
      if (i >= 0) this.pullErrors.splice(i, 1);
    };
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = tryGet(this.store, { apiVersion: "v1", kind: "Pod", name, namespace });
    if (!pod) return;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (isDeleting(pod)) {
      this.terminate(pod, nodeName);
      return;
    }
    if (!nodeName) {
      this.schedule(pod);
      return;
    }
    const node = tryGet(this.store, { apiVersion: "v1", kind: "Node", name: nodeName });
    if (!node) {
      // The pod garbage collector force-deletes pods bound to a node that no longer exists.
      forceDelete(this.store, pod);
      return;
    }
    this.run(pod, nodeName);
  }

  /**
   * A gracefully deleted pod: its containers get SIGTERM and the kubelet removes the pod (grace 0)
   * when they stopped — here after the pod's grace period (the Ray and vLLM processes drain for
   * it), at once when nothing was running yet. A pod on a node that is gone is force-deleted.
   */
  private terminate(pod: KubeObject, nodeName: string | undefined): void {
    const uid = pod.metadata?.uid ?? "";
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
    if (grace === 0) return; // finalizers hold it; nothing for the kubelet to do
    const node = nodeName
      ? tryGet(this.store, { apiVersion: "v1", kind: "Node", name: nodeName })
      : undefined;
    if (!node) {
      forceDelete(this.store, pod);
      return;
    }
    const running = (pod.status as { phase?: string } | undefined)?.phase === "Running";
    const key = `${uid}:${grace}`;
    if (this.stopping.get(uid) === key) return;
    this.stopping.set(uid, key);
    this.clock.after(running ? grace / 60 : 0, () => {
      if (this.controller.isStopped) return;
      const live = tryGet(this.store, refOf(pod));
      if (live?.metadata?.uid !== uid) return;
      try {
        this.store.delete(refOf(live), { gracePeriodSeconds: 0, uid });
      } catch {
        // Gone or changed meanwhile: the watch brings it back here if needed.
      }
    });
  }

  private boundTo(nodeName: string, pods: KubeObject[]): KubeObject[] {
    return pods.filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === nodeName);
  }

  private schedule(pod: KubeObject): void {
    const nodes = tryList(this.store, "v1", "Node");
    const pods = tryList(this.store, "v1", "Pod");
    const reasons: string[] = [];
    // Score: least requested CPU first (kube-scheduler's LeastAllocated), so Pods spread.
    const ranked = [...nodes].sort(
      (a, b) =>
        cpuUsed(this.boundTo(a.metadata?.name ?? "", pods)) -
        cpuUsed(this.boundTo(b.metadata?.name ?? "", pods)),
    );
    for (const node of ranked) {
      const fit = fitPodOnNode(pod, node, this.boundTo(node.metadata?.name ?? "", pods));
      if (fit.fits) {
        const nodeName = node.metadata?.name ?? "";
        this.store.patch(
          {
            apiVersion: "v1",
            kind: "Pod",
            name: pod.metadata?.name ?? "",
            namespace: pod.metadata?.namespace,
          },
          { spec: { nodeName } },
          "merge",
          { fieldManager: "default-scheduler" },
        );
        const status = (pod.status ?? {}) as { conditions?: unknown };
        patchStatus(
          this.store,
          pod,
          { conditions: withCondition(status.conditions, { type: "PodScheduled", status: "True" }) },
          "default-scheduler",
        );
        recordEvent(
          this.store,
          pod,
          "Normal",
          "Scheduled",
          `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${nodeName}`,
          "default-scheduler",
        );
        return;
      }
      reasons.push(fit.reason);
    }
    const message = describeUnschedulable(reasons);
    const status = (pod.status ?? {}) as { conditions?: unknown };
    patchStatus(
      this.store,
      pod,
      {
        phase: "Pending",
        conditions: withCondition(status.conditions, {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message,
        }),
      },
      "default-scheduler",
    );
    recordEvent(this.store, pod, "Warning", "FailedScheduling", message, "default-scheduler");
  }

  private run(pod: KubeObject, nodeName: string): void {
    const uid = pod.metadata?.uid ?? "";
    const current = this.progress.get(uid);
    if (current && current.node === nodeName && current.stage !== "pull-failed") return;
    const images = (
      ((pod.spec as { containers?: { image?: string }[] }).containers ?? []) as { image?: string }[]
    ).map((c) => c.image ?? "");
    const large = images.some((i) => this.options.isLargeImage(i));
    // A retry after a failed pull must not keep settle() waiting: image pull back-off is endless.
    const retrying = current?.stage === "pull-failed";
    this.progress.set(uid, { node: nodeName, stage: "pulling" });
    const podRef = {
      apiVersion: "v1",
      kind: "Pod",
      name: pod.metadata?.name ?? "",
      namespace: pod.metadata?.namespace,
    };
    for (const image of images)
      recordEvent(this.store, pod, "Normal", "Pulling", `Pulling image "${image}"`, MANAGER);
    if (!retrying) {
      patchStatus(
        this.store,
        pod,
        { phase: "Pending", containerStatuses: containerStatuses(pod, "waiting", "ContainerCreating") },
        MANAGER,
      );
    }
    const pullMinutes = large ? this.options.largeImagePullMinutes : this.options.imagePullMinutes;
    this.after(
      pullMinutes,
      podRef,
      (live) => {
        const failure = this.pullErrors.find((e) => e.match(live));
        if (failure) {
          this.progress.set(uid, { node: nodeName, stage: "pull-failed" });
          for (const image of images) {
            recordEvent(
              this.store,
              live,
              "Warning",
              "Failed",
              `Failed to pull image "${image}": ${failure.message}`,
              MANAGER,
            );
          }
          patchStatus(
            this.store,
            live,
            {
              phase: "Pending",
              containerStatuses: containerStatuses(live, "waiting", "ImagePullBackOff", failure.message),
            },
            MANAGER,
          );
          // The kubelet retries with back-off: an error that is cleared heals on the next try.
          this.controller.enqueueAfter(keyOf(live), 1, true);
          return;
        }
        for (const image of images)
          recordEvent(this.store, live, "Normal", "Pulled", `Successfully pulled image "${image}"`, MANAGER);
        recordEvent(this.store, live, "Normal", "Started", "Started container", MANAGER);
        this.progress.set(uid, { node: nodeName, stage: "starting" });
        patchStatus(
          this.store,
          live,
          {
            phase: "Running",
            podIP: `10.0.${Math.floor(this.random.next() * 200)}.${Math.floor(this.random.next() * 250) + 2}`,
            startTime: `${new Date().toISOString().slice(0, 19)}Z`,
            containerStatuses: containerStatuses(live, "running"),
          },
          MANAGER,
        );
        this.after(this.options.readyMinutes, podRef, (ready) => {
          this.progress.set(uid, { node: nodeName, stage: "running" });
          const conditions = withCondition(
            withCondition((ready.status as { conditions?: unknown })?.conditions, {
              type: "ContainersReady",
              status: "True",
            }),
            { type: "Ready", status: "True" },
          );
          patchStatus(
            this.store,
            ready,
            {
              conditions,
              containerStatuses: containerStatuses(ready, "running", undefined, undefined, true),
            },
            MANAGER,
          );
          for (const h of this.hooks) h.onRunning?.(ready);
        });
      },
      retrying,
    );
  }

  /** Runs `fn` with the live Pod after a delay, unless the Pod is gone or moved by then. */
  private after(
    minutes: number,
    ref: { name: string; namespace?: string; apiVersion: string; kind: string },
    fn: (pod: KubeObject) => void,
    background = false,
  ): void {
    const expectUid = tryGet(this.store, ref)?.metadata?.uid;
    // Foreground unless retrying: settle() waits for a pull or a start in progress.
    this.clock.after(
      minutes,
      () => {
        if (this.controller.isStopped) return;
        const live = tryGet(this.store, ref);
        if (!live || isDeleting(live) || live.metadata?.uid !== expectUid) return;
        try {
          fn(live);
        } catch {
          // A write lost a race (e.g. the Pod changed meanwhile): start this Pod's lifecycle step again.
          this.progress.delete(expectUid ?? "");
          this.controller.enqueue(keyOf(live));
        }
      },
      { background },
    );
  }
}
