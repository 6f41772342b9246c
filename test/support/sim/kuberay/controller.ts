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

export interface KubeRayOptions {
  modelLoadMinutes: number;
}

export class KubeRayController {
  private readonly controller: Controller;
  private readonly serve = new Map<string, ServeState>();
  private readonly modelLoadErrors = new Map<string, string>();

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
    let cluster = tryList(this.store, "ray.io/v1", "RayCluster", { namespace: ns }).find((c) =>
      (c.metadata?.ownerReferences ?? []).some((r) => r.uid === svc.metadata?.uid),
    );
    if (!cluster) {
      cluster = this.store.create(
        {
          apiVersion: "ray.io/v1",
          kind: "RayCluster",
          metadata: {
            name: `${name}-raycluster-${this.random.suffix()}`,
            namespace: ns,
            labels: { "ray.io/originated-from-cr-name": name, "ray.io/originated-from-crd": "RayService" },
            ownerReferences: [ownerReference(svc)],
          },
          spec: spec.rayClusterConfig ?? {},
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
    }
    const clusterName = cluster.metadata?.name ?? "";
    this.ensureService(svc, `${name}-head-svc`, clusterName, { "ray.io/node-type": "head" }, [
      { name: "gcs-server", port: 6379 },
      { name: "dashboard", port: 8265 },
      { name: "client", port: 10001 },
      { name: "serve", port: 8000 },
    ]);
    const readiness = clusterReadiness(this.store, cluster);
    if (readiness.ready) {
      this.ensureService(svc, `${name}-serve-svc`, clusterName, { "ray.io/serve": "true" }, [
        { name: "serve", port: 8000 },
      ]);
    }
    const stateKey = `${ns}/${name}`;
    const state = this.advanceServe(stateKey, cluster.metadata?.uid ?? "", readiness.ready, name);
    patchStatus(
      this.store,
      svc,
      rayServiceStatus(svc, clusterName, state, modelIdOf(spec.serveConfigV2)),
      MANAGER,
    );
  }

  /** Ray Serve's application lifecycle on top of a ready cluster. */
  private advanceServe(
    stateKey: string,
    clusterUid: string,
    clusterReady: boolean,
    name: string,
  ): ServeState {
    let state = this.serve.get(stateKey);
    if (!state || state.clusterUid !== clusterUid) {
      state = { clusterUid, phase: "NOT_STARTED" };
      this.serve.set(stateKey, state);
    }
    if (!clusterReady) {
      if (state.phase !== "NOT_STARTED") state.phase = "DEPLOYING";
      state.loadingSince = undefined;
      return state;
    }
    if (state.phase === "NOT_STARTED" || (state.phase === "DEPLOYING" && state.loadingSince === undefined)) {
      state.phase = "DEPLOYING";
      state.loadingSince = Date.now();
      const key = `RayService|${stateKey}`;
      this.clock.after(this.options.modelLoadMinutes, () => {
        const current = this.serve.get(stateKey);
        if (!current || current.clusterUid !== clusterUid || current.phase !== "DEPLOYING") return;
        const error = this.modelLoadErrors.get(name);
        if (error) {
          current.phase = "DEPLOY_FAILED";
          current.message = error;
        } else {
          current.phase = "RUNNING";
          current.message = undefined;
        }
        this.controller.enqueue(key);
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
    if (tryGet(this.store, { apiVersion: "v1", kind: "Service", name, namespace: ns })) return;
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
