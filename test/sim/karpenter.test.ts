import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { condition, events, get, list, startSim } from "./support/cluster.js";

/** A Deployment whose one Pod wants a GPU on the gpu-inference pool. */
function gpuWorkload(name: string, gpus = 1): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "inference" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { "workload-type": "gpu-inference" },
          tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
          containers: [
            {
              name: "w",
              image: "busybox",
              resources: {
                requests: { cpu: "4", memory: "24Gi", "nvidia.com/gpu": String(gpus) },
                limits: { "nvidia.com/gpu": String(gpus) },
              },
            },
          ],
        },
      },
    },
  };
}

const gpuNodes = (sim: SimulatedCluster) =>
  list(sim, "v1", "Node", { labelSelector: "karpenter.sh/nodepool=gpu-inference" });
const karpenterInstances = (sim: SimulatedCluster) =>
  sim.ledger.instances().filter((i) => i.createdBy === "karpenter");

describe("simulated Karpenter", () => {
  it("turns a pending GPU pod into a NodeClaim and a tainted GPU node of an allowed type, billed in the ledger", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuWorkload("w1"));
    await sim.settle();
    const claims = list(sim, "karpenter.sh/v1", "NodeClaim");
    expect(claims).toHaveLength(1);
    const claim = claims[0]!;
    for (const type of ["Launched", "Registered", "Initialized"])
      expect(condition(claim, type)?.status).toBe("True");
    const nodes = gpuNodes(sim);
    expect(nodes).toHaveLength(1);
    const node = nodes[0]!;
    const type = node.metadata?.labels?.["node.kubernetes.io/instance-type"] ?? "";
    // 4 CPU + 24Gi + 1 GPU: the xlarge sizes are too small; g6.2xlarge is the cheapest that fits.
    expect(type).toBe("g6.2xlarge");
    expect(node.metadata?.labels).toMatchObject({
      "workload-type": "gpu-inference",
      "karpenter.sh/capacity-type": "on-demand",
    });
    expect((node.spec as { taints?: unknown[] }).taints).toEqual([
      { key: "nvidia.com/gpu", effect: "NoSchedule" },
    ]);
    expect((node.status as { allocatable?: Record<string, string> }).allocatable?.["nvidia.com/gpu"]).toBe(
      "1",
    );
    expect(karpenterInstances(sim).map((i) => [i.type, i.hourlyPrice])).toEqual([["g6.2xlarge", 0.978]]);
    const pod = list(sim, "v1", "Pod", { namespace: "inference", labelSelector: "app=w1" })[0];
    expect((pod?.spec as { nodeName?: string } | undefined)?.nodeName).toBe(node.metadata?.name);
  });

  it("shows InsufficientInstanceCapacity on the NodeClaim and falls back to the next type", async () => {
    const sim = await startSim();
    sim.karpenter.injectCapacityError("g6.2xlarge");
    const seen: KubeObject[] = [];
    const stop = sim.kube.store.watch({ apiVersion: "karpenter.sh/v1", kind: "NodeClaim" }, {}, (e) =>
      seen.push(e.object),
    );
    sim.kube.store.create(gpuWorkload("w2"));
    await sim.settle();
    stop();
    const failed = seen.find((c) => condition(c, "Launched")?.status === "False");
    expect(condition(failed, "Launched")?.reason).toBe("InsufficientCapacityError");
    expect(condition(failed, "Launched")?.message).toContain("InsufficientInstanceCapacity");
    expect(gpuNodes(sim).map((n) => n.metadata?.labels?.["node.kubernetes.io/instance-type"])).toEqual([
      "g5.2xlarge",
    ]);
  });

  it("keeps the pod pending while no capacity exists anywhere, with the error visible", async () => {
    const sim = await startSim();
    sim.karpenter.injectCapacityError("all");
    sim.kube.store.create(gpuWorkload("w3"));
    await sim.settle();
    expect(gpuNodes(sim)).toEqual([]);
    expect(karpenterInstances(sim)).toEqual([]);
    const claimEvents = events(sim, "default").filter((e) => e.reason === "InsufficientCapacityError");
    expect(claimEvents.length).toBeGreaterThan(0);
    const pod = list(sim, "v1", "Pod", { namespace: "inference", labelSelector: "app=w3" })[0];
    expect((pod?.status as { phase?: string } | undefined)?.phase).toBe("Pending");
  });

  it("removes an empty node after consolidateAfter and stops billing it", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuWorkload("w4"));
    await sim.settle();
    expect(karpenterInstances(sim)).toHaveLength(1);
    sim.kube.store.delete({ apiVersion: "apps/v1", kind: "Deployment", name: "w4", namespace: "inference" });
    await sim.settle();
    expect(gpuNodes(sim)).toEqual([]);
    expect(list(sim, "karpenter.sh/v1", "NodeClaim")).toEqual([]);
    expect(karpenterInstances(sim)).toEqual([]);
  });

  it("terminates a NodePool's nodes when the pool is deleted", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuWorkload("w5"));
    await sim.settle();
    sim.kube.store.delete({ apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" });
    await sim.settle();
    expect(gpuNodes(sim)).toEqual([]);
    expect(karpenterInstances(sim)).toEqual([]);
  });

  it("terminates nothing once the controller is stopped: the instance keeps billing", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuWorkload("w6"));
    await sim.settle();
    sim.karpenter.stop();
    sim.kube.store.delete({ apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" });
    await sim.settle();
    const claims = list(sim, "karpenter.sh/v1", "NodeClaim");
    expect(claims).toHaveLength(1);
    expect(claims[0]?.metadata?.deletionTimestamp).toBeDefined();
    expect(claims[0]?.metadata?.finalizers).toContain("karpenter.sh/termination");
    expect(karpenterInstances(sim)).toHaveLength(1);
    expect(sim.ledger.hourlyCost()).toBeGreaterThan(0.978);
    expect(get(sim, "karpenter.sh/v1", "NodePool", "gpu-inference")).toBeUndefined();
  });
});
