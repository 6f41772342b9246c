import { type OperatorMode, operatorAvailable } from "../kube/operators.js";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  isDeleting,
  type KubeObject,
  keyOf,
  labelsOf,
  patchStatus,
  type Store,
  splitKey,
  tryDelete,
  tryGet,
  tryList,
  watchKind,
} from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
import {
  createRayCluster,
  createRayPod,
  ensureRayService,
  HASH,
  hashOf,
  MANAGER,
  modelIdOf,
} from "./children.js";
import { modelLoadException } from "./model-load.js";
import { clusterReadiness, rayServiceStatus, type ServeState } from "./status.js";

/**
 * The KubeRay operator (v1.5): a RayService gets a RayCluster (`<name>-raycluster-<suffix>`), the
 * RayCluster gets a head Pod and `minReplicas` worker Pods per group (labels ray.io/cluster,
 * ray.io/node-type, ray.io/group), and the RayService gets `<name>-head-svc` and, once the
 * cluster runs, `<name>-serve-svc`. After the cluster is ready, Ray Serve deploys the app:
 * DEPLOYING for `modelLoadMinutes`, then RUNNING (condition Ready=True) — or DEPLOY_FAILED with
 * the injected message. Children carry owner references, so deleting a RayService removes the
 * cluster, its Pods and Services through garbage collection; a deleted Pod is re-created.
 */
export interface KubeRayOptions {
  modelLoadMinutes: number;
  operators: OperatorMode;
}

export class KubeRayController {
  private readonly controller: Controller;
  private readonly serve = new Map<string, ServeState>();
  private readonly modelLoadErrors = new Map<string, string>();
  private loads = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly random: Random,
    private readonly options: KubeRayOptions,
  ) {
    this.controller = new Controller("kuberay", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "ray.io/v1", "RayService", (_t, o) =>
        this.controller.enqueue(`RayService|${keyOf(o)}`),
      ),
    );
    this.controller.onStop(
      watchKind(store, "apps/v1", "Deployment", (_t, d) => {
        if (d.metadata?.name !== "kuberay-operator") return;
        for (const rs of tryList(store, "ray.io/v1", "RayService"))
          this.controller.enqueue(`RayService|${keyOf(rs)}`);
        for (const rc of tryList(store, "ray.io/v1", "RayCluster"))
          this.controller.enqueue(`RayCluster|${keyOf(rc)}`);
      }),
    );
    this.controller.onStop(
      watchKind(store, "ray.io/v1", "RayCluster", (_t, o) => {
        this.controller.enqueue(`RayCluster|${keyOf(o)}`);
        for (const ref of o.metadata?.ownerReferences ?? []) {
          if (ref.kind === "RayService")
            this.controller.enqueue(`RayService|${o.metadata?.namespace}/${ref.name}`);
        }
      }),
    );
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (_t, pod) => {
        const cluster = labelsOf(pod)["ray.io/cluster"];
        if (cluster) this.controller.enqueue(`RayCluster|${pod.metadata?.namespace}/${cluster}`);
      }),
    );
  }

  /** The next model load of this RayService (endpoint) fails with `message` until cleared. */
  injectModelLoadError(rayService: string, message: string): () => void {
    this.modelLoadErrors.set(rayService, message);
    return () => this.modelLoadErrors.delete(rayService);
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    const bar = key.indexOf("|");
    const kind = key.slice(0, bar);
    const { namespace, name } = splitKey(key.slice(bar + 1));
    const obj = tryGet(this.store, { apiVersion: "ray.io/v1", kind, name, namespace });
    if (!obj || isDeleting(obj)) return;
    // Nothing happens to RayServices until the operator runs (a watch on it wakes us up).
    if (!operatorAvailable(this.store, this.options.operators, "kuberay-operator")) return;
    if (kind === "RayService") this.reconcileService(obj);
    else this.reconcileCluster(obj);
  }

  private reconcileService(svc: KubeObject): void {
    const ns = svc.metadata?.namespace ?? "default";
    const name = svc.metadata?.name ?? "";
    const spec = (svc.spec ?? {}) as { rayClusterConfig?: Record<string, unknown>; serveConfigV2?: string };
    const wantHash = hashOf(JSON.stringify(spec.rayClusterConfig ?? {}));
    const owned = tryList(this.store, "ray.io/v1", "RayCluster", { namespace: ns }).filter(
      (c) => !isDeleting(c) && (c.metadata?.ownerReferences ?? []).some((r) => r.uid === svc.metadata?.uid),
    );
    const activeName = (svc.status as { activeServiceStatus?: { rayClusterName?: string } } | undefined)
      ?.activeServiceStatus?.rayClusterName;
    let active = owned.find((c) => c.metadata?.name === activeName) ?? owned[0];
    if (!active) active = createRayCluster(this.store, this.random, svc, spec.rayClusterConfig, wantHash);
    // A changed rayClusterConfig is a zero-downtime upgrade: a pending cluster comes up next to the
    // active one, which keeps serving until the new one runs the app (kuberay RayService docs).
    let pending: KubeObject | undefined;
    if (active.metadata?.annotations?.[HASH] !== wantHash) {
      pending = owned.find((c) => c !== active && c.metadata?.annotations?.[HASH] === wantHash);
      pending ??= createRayCluster(this.store, this.random, svc, spec.rayClusterConfig, wantHash);
    }
    const svcKey = `RayService|${ns}/${name}`;
    let activeState = this.advanceServe(active, spec.serveConfigV2, svcKey, name);
    if (pending) {
      const pendingState = this.advanceServe(pending, spec.serveConfigV2, svcKey, name);
      if (pendingState.phase === "RUNNING") {
        tryDelete(this.store, {
          apiVersion: "ray.io/v1",
          kind: "RayCluster",
          name: active.metadata?.name ?? "",
          namespace: ns,
        });
        active = pending;
        activeState = pendingState;
        pending = undefined;
      }
    }
    for (const c of owned) {
      if (c !== active && c !== pending) {
        tryDelete(this.store, {
          apiVersion: "ray.io/v1",
          kind: "RayCluster",
          name: c.metadata?.name ?? "",
          namespace: ns,
        });
      }
    }
    const clusterName = active.metadata?.name ?? "";
    ensureRayService(this.store, svc, `${name}-head-svc`, clusterName, { "ray.io/node-type": "head" }, [
      { name: "gcs-server", port: 6379 },
      { name: "dashboard", port: 8265 },
      { name: "client", port: 10001 },
      { name: "serve", port: 8000 },
    ]);
    if (clusterReadiness(this.store, active).ready) {
      ensureRayService(this.store, svc, `${name}-serve-svc`, clusterName, { "ray.io/serve": "true" }, [
        { name: "serve", port: 8000 },
      ]);
    }
    const status = rayServiceStatus(svc, clusterName, activeState, modelIdOf(spec.serveConfigV2));
    const conditions = status.conditions as { type: string; status: string; reason?: string }[];
    const upgrade = conditions.find((c) => c.type === "UpgradeInProgress");
    if (upgrade && pending)
      Object.assign(upgrade, { status: "True", reason: "BothActivePendingClustersExist" });
    status.pendingServiceStatus = pending ? { rayClusterName: pending.metadata?.name } : null;
    patchStatus(this.store, svc, status, MANAGER);
  }

  /** Ray Serve's application lifecycle on one cluster; a new serveConfigV2 redeploys the app. */
  private advanceServe(
    cluster: KubeObject,
    serveConfig: string | undefined,
    svcKey: string,
    name: string,
  ): ServeState {
    const serveHash = hashOf(serveConfig ?? "");
    const clusterUid = cluster.metadata?.uid ?? "";
    const clusterReady = clusterReadiness(this.store, cluster).ready;
    let state = this.serve.get(clusterUid);
    if (!state) {
      state = { clusterUid, phase: "NOT_STARTED", serveHash };
      this.serve.set(clusterUid, state);
    }
    if (state.serveHash !== serveHash) {
      state.serveHash = serveHash;
      if (state.phase !== "NOT_STARTED") state.phase = "DEPLOYING";
      state.loadingSince = undefined;
      state.exception = undefined;
    }
    if (!clusterReady) {
      if (state.phase !== "NOT_STARTED") state.phase = "DEPLOYING";
      state.loadingSince = undefined;
      return state;
    }
    if (state.phase === "NOT_STARTED" || (state.phase === "DEPLOYING" && state.loadingSince === undefined)) {
      state.phase = "DEPLOYING";
      const started = ++this.loads;
      state.loadingSince = started;
      // Decided now, with the environment the workers started with (model-load.ts).
      const failure = modelLoadException(this.store, cluster, serveConfig);
      this.clock.after(this.options.modelLoadMinutes, () => {
        const current = this.serve.get(clusterUid);
        if (!current || current.loadingSince !== started || current.phase !== "DEPLOYING") return;
        const error = this.modelLoadErrors.get(name) ?? failure;
        current.phase = error ? "DEPLOY_FAILED" : "RUNNING";
        current.exception = error;
        this.controller.enqueue(svcKey);
      });
    }
    return state;
  }

  private reconcileCluster(cluster: KubeObject): void {
    const ns = cluster.metadata?.namespace ?? "default";
    const name = cluster.metadata?.name ?? "";
    const spec = (cluster.spec ?? {}) as {
      headGroupSpec?: { template?: KubeObject };
      workerGroupSpecs?: {
        groupName?: string;
        replicas?: number;
        minReplicas?: number;
        template?: KubeObject;
      }[];
    };
    const pods = tryList(this.store, "v1", "Pod", {
      namespace: ns,
      labelSelector: `ray.io/cluster=${name}`,
    }).filter((p) => !isDeleting(p));
    if (!pods.some((p) => labelsOf(p)["ray.io/node-type"] === "head")) {
      createRayPod(
        this.store,
        cluster,
        `${name}-head-${this.random.suffix()}`,
        "head",
        "headgroup",
        spec.headGroupSpec?.template,
      );
    }
    for (const group of spec.workerGroupSpecs ?? []) {
      const groupName = group.groupName ?? "workers";
      const want = group.replicas ?? group.minReplicas ?? 1;
      const have = pods.filter(
        (p) => labelsOf(p)["ray.io/node-type"] === "worker" && labelsOf(p)["ray.io/group"] === groupName,
      );
      for (let i = have.length; i < want; i++) {
        createRayPod(
          this.store,
          cluster,
          `${name}-${groupName}-worker-${this.random.suffix()}`,
          "worker",
          groupName,
          group.template,
        );
      }
    }
    const readiness = clusterReadiness(this.store, cluster);
    patchStatus(
      this.store,
      cluster,
      {
        state: readiness.ready ? "ready" : null,
        desiredWorkerReplicas: readiness.desiredWorkers,
        readyWorkerReplicas: readiness.readyWorkers,
        availableWorkerReplicas: readiness.readyWorkers,
        head: readiness.headIP ? { podIP: readiness.headIP, serviceIP: readiness.headIP } : undefined,
        conditions: [
          {
            type: "HeadPodReady",
            status: readiness.headReady ? "True" : "False",
            reason: readiness.headReady ? "HeadPodRunningAndReady" : "HeadPodNotFound",
          },
          {
            type: "RayClusterProvisioned",
            status: readiness.ready ? "True" : "False",
            reason: readiness.ready ? "AllPodRunningAndReadyFirstTime" : "RayClusterPodsProvisioning",
          },
        ],
      },
      MANAGER,
    );
  }
}
