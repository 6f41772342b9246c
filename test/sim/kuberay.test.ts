import { describe, expect, it } from "vitest";
import {
  addNode,
  condition,
  deployEndpoint,
  events,
  GPU_NODE,
  get,
  list,
  startSim,
} from "./support/cluster.js";

const app = (rs: unknown) =>
  (
    rs as {
      status?: {
        activeServiceStatus?: {
          applicationStatuses?: Record<
            string,
            {
              status?: string;
              message?: string;
              serveDeploymentStatuses?: Record<string, { status?: string; message?: string }>;
            }
          >;
        };
      };
    }
  )?.status?.activeServiceStatus?.applicationStatuses?.llm;

describe("simulated KubeRay", () => {
  it("keeps GPU workers Pending with a FailedScheduling event until a fitting GPU node exists, then serves", async () => {
    const sim = await startSim();
    sim.karpenter.stop();
    addNode(sim, "cpu-1", { cpu: "8", memory: "32Gi" });
    await deployEndpoint(sim, "m1");
    await sim.settle();
    const cluster = list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" })[0];
    const clusterName = cluster?.metadata?.name ?? "";
    expect(clusterName).toMatch(/^m1-raycluster-/);
    const pods = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: `ray.io/cluster=${clusterName}`,
    });
    const head = pods.find((p) => p.metadata?.labels?.["ray.io/node-type"] === "head");
    const worker = pods.find((p) => p.metadata?.labels?.["ray.io/node-type"] === "worker");
    expect(head?.metadata?.labels?.["ray.io/group"]).toBe("headgroup");
    expect(worker?.metadata?.labels?.["ray.io/group"]).toBe("gpu-workers");
    expect((worker?.status as { phase?: string } | undefined)?.phase).toBe("Pending");
    expect(condition(worker, "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable" });
    const failed = events(sim, "inference", worker?.metadata?.name).find(
      (e) => e.reason === "FailedScheduling",
    );
    expect(failed?.message).toMatch(/didn't match Pod's node affinity\/selector|untolerated taint/);
    expect(get(sim, "v1", "Service", "m1-head-svc", "inference")).toBeDefined();
    expect(condition(get(sim, "ray.io/v1", "RayService", "m1", "inference"), "Ready")?.status).toBe("False");

    // A GPU node without the toleration-matching taint label does not help; the right one does.
    addNode(sim, "gpu-wrong", { gpu: 1, labels: { "workload-type": "general" } });
    await sim.settle();
    expect(
      (
        get(sim, "v1", "Pod", worker?.metadata?.name ?? "", "inference")?.status as
          | { phase?: string }
          | undefined
      )?.phase,
    ).toBe("Pending");
    addNode(sim, "gpu-1", GPU_NODE);
    await sim.settle();
    const running = get(sim, "v1", "Pod", worker?.metadata?.name ?? "", "inference");
    expect((running?.spec as { nodeName?: string } | undefined)?.nodeName).toBe("gpu-1");
    expect(condition(running, "Ready")?.status).toBe("True");
    const rs = get(sim, "ray.io/v1", "RayService", "m1", "inference");
    expect(condition(rs, "Ready")?.status).toBe("True");
    expect(app(rs)?.status).toBe("RUNNING");
    expect(get(sim, "v1", "Service", "m1-serve-svc", "inference")).toBeDefined();
  });

  it("shows an image pull error on the pods and never gets Ready", async () => {
    const sim = await startSim();
    sim.kuberay.injectImagePullError(
      "broken",
      'failed to pull and unpack image "rayproject/ray-llm:nope": not found',
    );
    await deployEndpoint(sim, "broken");
    await sim.settle();
    const worker = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: "ray.io/node-type=worker",
    })[0];
    const waiting = ((
      worker?.status as { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } | undefined
    )?.containerStatuses ?? [])[0]?.state?.waiting?.reason;
    expect(waiting).toBe("ImagePullBackOff");
    expect(
      events(sim, "inference", worker?.metadata?.name).some(
        (e) => e.reason === "Failed" && String(e.message).includes("not found"),
      ),
    ).toBe(true);
    expect(condition(get(sim, "ray.io/v1", "RayService", "broken", "inference"), "Ready")?.status).toBe(
      "False",
    );
  });

  it("reports a model load failure as Ray Serve 2.x does: the app names the deployment, the deployment carries the error", async () => {
    const sim = await startSim();
    sim.kuberay.injectModelLoadError("oom", "torch.OutOfMemoryError: CUDA out of memory");
    await deployEndpoint(sim, "oom");
    await sim.settle();
    const rs = get(sim, "ray.io/v1", "RayService", "oom", "inference");
    expect(app(rs)).toMatchObject({
      status: "DEPLOY_FAILED",
      message: "Failed to update the deployments ['LLMServer:google--gemma-3-4b-it'].",
    });
    const server = app(rs)?.serveDeploymentStatuses?.["LLMServer:google--gemma-3-4b-it"];
    expect(server?.status).toBe("DEPLOY_FAILED");
    expect(server?.message).toMatch(
      /^The deployment failed to start 3 times in a row\.[\s\S]*\ntorch\.OutOfMemoryError: CUDA out of memory$/,
    );
    expect(condition(rs, "Ready")?.status).toBe("False");
  });

  it("re-creates a deleted worker pod, and deleting the RayService removes cluster, pods and services", async () => {
    const sim = await startSim();
    await deployEndpoint(sim, "gc");
    await sim.settle();
    const worker = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: "ray.io/node-type=worker",
    })[0];
    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "Pod",
      name: worker?.metadata?.name ?? "",
      namespace: "inference",
    });
    await sim.settle();
    const workers = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: "ray.io/node-type=worker",
    });
    expect(workers).toHaveLength(1);
    expect(workers[0]?.metadata?.name).not.toBe(worker?.metadata?.name);

    sim.kube.store.delete({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      name: "gc",
      namespace: "inference",
    });
    await sim.settle();
    expect(list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" })).toEqual([]);
    expect(list(sim, "v1", "Pod", { namespace: "inference" })).toEqual([]);
    expect(get(sim, "v1", "Service", "gc-serve-svc", "inference")).toBeUndefined();
  });
});

describe("simulated KubeRay upgrades", () => {
  it("brings a changed cluster config up next to the serving one, then switches and removes the old cluster", async () => {
    const sim = await startSim();
    await deployEndpoint(sim, "up");
    await sim.settle();
    const before = list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" }).map(
      (c) => c.metadata?.name,
    );
    expect(before).toHaveLength(1);
    sim.kube.store.patch(
      { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint", name: "up", namespace: "inference" },
      { spec: { workerMemory: "28Gi" } },
      "merge",
    );
    await sim.settle();
    const after = list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" }).map(
      (c) => c.metadata?.name,
    );
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    const rs = get(sim, "ray.io/v1", "RayService", "up", "inference");
    expect(condition(rs, "Ready")?.status).toBe("True");
    expect(condition(rs, "UpgradeInProgress")?.status).toBe("False");
    const serve = get(sim, "v1", "Service", "up-serve-svc", "inference");
    expect(
      (serve?.spec as { selector?: Record<string, string> } | undefined)?.selector?.["ray.io/cluster"],
    ).toBe(after[0]);
  });
});
