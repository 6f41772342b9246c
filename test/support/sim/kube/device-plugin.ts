import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import { type KubeObject, patchStatus, type Store, tryGet, tryList, watchKind } from "../runtime/kube.js";
import { type OperatorMode, operatorAvailable } from "./operators.js";

/**
 * The NVIDIA device plugin (deployed by the gpu-operator chart): a GPU node's kubelet advertises
 * `nvidia.com/gpu` as allocatable only once the plugin runs on it, `devicePluginMinutes` after the
 * node joins. Without the gpu-operator, GPU pods stay Pending on a GPU node ("Insufficient
 * nvidia.com/gpu") — the failure of a platform whose gpu-operator app did not sync.
 */
export class DevicePlugin {
  private readonly controller: Controller;
  private readonly starting = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly options: { operators: OperatorMode; devicePluginMinutes: number },
  ) {
    this.controller = new Controller("nvidia-device-plugin", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "v1", "Node", (_t, n) => this.controller.enqueue(n.metadata?.name ?? "")),
    );
    this.controller.onStop(
      watchKind(store, "apps/v1", "Deployment", (_t, d) => {
        if (d.metadata?.name !== "gpu-operator") return;
        for (const n of tryList(store, "v1", "Node")) this.controller.enqueue(n.metadata?.name ?? "");
      }),
    );
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(name: string): void {
    const node = tryGet(this.store, { apiVersion: "v1", kind: "Node", name });
    if (!node || node.metadata?.deletionTimestamp || !missingGpus(node) || this.starting.has(name)) return;
    if (!operatorAvailable(this.store, this.options.operators, "gpu-operator")) return;
    this.starting.add(name);
    this.clock.after(this.options.devicePluginMinutes, () => {
      this.starting.delete(name);
      const live = tryGet(this.store, { apiVersion: "v1", kind: "Node", name });
      if (!live || !missingGpus(live) || this.controller.isStopped) return;
      const status = (live.status ?? {}) as {
        capacity?: Record<string, string>;
        allocatable?: Record<string, string>;
      };
      patchStatus(
        this.store,
        live,
        {
          allocatable: {
            ...(status.allocatable ?? {}),
            "nvidia.com/gpu": status.capacity?.["nvidia.com/gpu"] ?? "0",
          },
        },
        "kubelet",
      );
    });
  }
}

function missingGpus(node: KubeObject): boolean {
  const status = (node.status ?? {}) as {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
  };
  return Boolean(status.capacity?.["nvidia.com/gpu"]) && !status.allocatable?.["nvidia.com/gpu"];
}
