import { parse as parseYaml } from "yaml";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  isDeleting,
  type KubeObject,
  keyOf,
  labelsOf,
  ownerReference,
  patchStatus,
  recordEvent,
  type Store,
  splitKey,
  tryDelete,
  tryGet,
  tryList,
  watchKind,
} from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
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
const MANAGER = "kuberay-operator";
/** The annotation KubeRay compares to decide whether a RayService needs a new cluster. */
const HASH = "ray.io/hash-without-replicas-and-workers-to-delete";

function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(36);
}

export interface KubeRayOptions {
  modelLoadMinutes: number;
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
    if (!active) active = this.createCluster(svc, spec.rayClusterConfig, wantHash);
    // A changed rayClusterConfig is a zero-downtime upgrade: a pending cluster comes up next to the
    // active one, which keeps serving until the new one runs the app (kuberay RayService docs).
    let pending: KubeObject | undefined;
    if (active.metadata?.annotations?.[HASH] !== wantHash) {
      pending = owned.find((c) => c !== active && c.metadata?.annotations?.[HASH] === wantHash);
      pending ??= this.createCluster(svc, spec.rayClusterConfig, wantHash);
    }
    const serveHash = hashOf(spec.serveConfigV2 ?? "");
    const svcKey = `RayService|${ns}/${name}`;
    let activeState = this.advanceServe(active, serveHash, svcKey, name);
    if (pending) {
      const pendingState = this.advanceServe(pending, serveHash, svcKey, name);
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
    this.ensureService(svc, `${name}-head-svc`, clusterName, { "ray.io/node-type": "head" }, [
      { name: "gcs-server", port: 6379 },
      { name: "dashboard", port: 8265 },
      { name: "client", port: 10001 },
      { name: "serve", port: 8000 },
    ]);
    if (clusterReadiness(this.store, active).ready) {
      this.ensureService(svc, `${name}-serve-svc`, clusterName, { "ray.io/serve": "true" }, [
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

  private createCluster(
    svc: KubeObject,
    config: Record<string, unknown> | undefined,
    hash: string,
  ): KubeObject {
    const ns = svc.metadata?.namespace ?? "default";
    const name = svc.metadata?.name ?? "";
    const cluster = this.store.create(
      {
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: {
          name: `${name}-raycluster-${this.random.suffix()}`,
          namespace: ns,
          labels: { "ray.io/originated-from-cr-name": name, "ray.io/originated-from-crd": "RayService" },
          annotations: { [HASH]: hash },
          ownerReferences: [ownerReference(svc)],
        },
        spec: config ?? {},
      },
      { fieldManager: MANAGER },
    );
    recordEvent(
      this.store,
      svc,
      "Normal",
      "CreatedRayCluster",
      `Created RayCluster ${ns}/${cluster.metadata?.name}`,
      MANAGER,
    );
    return cluster;
  }

  /** Ray Serve's application lifecycle on one cluster; a new serveConfigV2 redeploys the app. */
  private advanceServe(cluster: KubeObject, serveHash: string, svcKey: string, name: string): ServeState {
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
      state.message = undefined;
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
      this.clock.after(this.options.modelLoadMinutes, () => {
        const current = this.serve.get(clusterUid);
        if (!current || current.loadingSince !== started || current.phase !== "DEPLOYING") return;
        const error = this.modelLoadErrors.get(name);
        current.phase = error ? "DEPLOY_FAILED" : "RUNNING";
        current.message = error;
        this.controller.enqueue(svcKey);
      });
    }
    return state;
  }

  private ensureService(
    owner: KubeObject,
    name: string,
    cluster: string,
    selector: Record<string, string>,
    ports: { name: string; port: number }[],
  ): void {
    const ns = owner.metadata?.namespace;
    const existing = tryGet(this.store, { apiVersion: "v1", kind: "Service", name, namespace: ns });
    if (existing) {
      // After an upgrade the Services follow the new active cluster.
      const current = (existing.spec as { selector?: Record<string, string> } | undefined)?.selector?.[
        "ray.io/cluster"
      ];
      if (current !== cluster) {
        this.store.patch(
          { apiVersion: "v1", kind: "Service", name, namespace: ns },
          {
            metadata: { labels: { "ray.io/cluster": cluster } },
            spec: { selector: { "ray.io/cluster": cluster, ...selector } },
          },
          "merge",
          { fieldManager: MANAGER },
        );
      }
      return;
    }
    this.store.create(
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          name,
          namespace: ns,
          labels: { "ray.io/cluster": cluster, "ray.io/originated-from-cr-name": owner.metadata?.name ?? "" },
          ownerReferences: [ownerReference(owner)],
        },
        spec: {
          type: "ClusterIP",
          selector: { "ray.io/cluster": cluster, ...selector },
          ports: ports.map((p) => ({ ...p, protocol: "TCP", targetPort: p.port })),
        },
      },
      { fieldManager: MANAGER },
    );
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
      this.createPod(
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
        this.createPod(
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

  private createPod(
    cluster: KubeObject,
    name: string,
    nodeType: "head" | "worker",
    group: string,
    template?: KubeObject,
  ): void {
    const tmpl = (template ?? {}) as KubeObject;
    this.store.create(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: cluster.metadata?.namespace,
          labels: {
            ...(tmpl.metadata?.labels ?? {}),
            "ray.io/cluster": cluster.metadata?.name ?? "",
            "ray.io/node-type": nodeType,
            "ray.io/group": group,
            "ray.io/is-ray-node": "yes",
            ...(nodeType === "head" ? { "ray.io/serve": "true" } : {}),
          },
          ownerReferences: [ownerReference(cluster)],
        },
        spec: tmpl.spec ?? { containers: [] },
        status: { phase: "Pending" },
      },
      { fieldManager: MANAGER },
    );
  }
}

function modelIdOf(serveConfig: string | undefined): string | undefined {
  if (!serveConfig) return undefined;
  try {
    const doc = parseYaml(serveConfig) as {
      applications?: { args?: { llm_configs?: { model_loading_config?: { model_id?: unknown } }[] } }[];
    };
    const id = doc.applications?.[0]?.args?.llm_configs?.[0]?.model_loading_config?.model_id;
    return id === undefined ? undefined : String(id);
  } catch {
    return undefined;
  }
}
