import { describe, expect, it } from "vitest";
import type { SimulatedCluster } from "../support/sim/index.js";
import { deployEndpoint, get, startSim } from "./support/cluster.js";

/** The control URL as curl drives it: plain HTTP, JSON answers. */
async function call(
  sim: SimulatedCluster,
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.control.url}${path}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const gpuPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "gpu", namespace: "inference" },
  spec: {
    nodeSelector: { "workload-type": "gpu-inference" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
    containers: [{ name: "c", image: "x", resources: { requests: { "nvidia.com/gpu": "1" } } }],
  },
};

const lbService = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "webui-public", namespace: "ai-platform" },
  spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80, targetPort: 8080 }] },
};

const karpenterInstances = (sim: SimulatedCluster) =>
  sim.ledger.instances().filter((i) => i.createdBy === "karpenter");

describe("the simulator's control URL", () => {
  it("lists what is billing now, with the total", async () => {
    const sim = await startSim();
    const { status, body } = await call(sim, "GET", "/ledger");
    expect(status).toBe(200);
    const resources = body.resources as {
      kind: string;
      id: string;
      hourlyUsd: number;
      since: string;
      tags: object;
    }[];
    expect(resources.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["eks-cluster", "nat-gateway", "instance"]),
    );
    const cluster = resources.find((r) => r.kind === "eks-cluster");
    expect(cluster).toMatchObject({ hourlyUsd: 0.1, tags: { "aiplat:stage": "30.eks/30.cluster" } });
    expect(Number.isNaN(Date.parse(cluster?.since ?? ""))).toBe(false);
    expect(body.hourlyUsd).toBe(sim.ledger.hourlyCost());
    expect(body.hourlyUsd).toBeCloseTo(
      resources.reduce((sum, r) => sum + r.hourlyUsd, 0),
      4,
    );
  });

  it("stops and starts Karpenter: nothing launches while it is stopped, then the pending pod gets its node", async () => {
    const sim = await startSim();
    expect(await call(sim, "POST", "/controllers/karpenter/stop")).toEqual({
      status: 200,
      body: { controller: "karpenter", running: false },
    });
    sim.kube.store.create(gpuPod);
    await sim.settle();
    expect(karpenterInstances(sim)).toEqual([]);
    expect((await call(sim, "POST", "/controllers/karpenter/start")).body.running).toBe(true);
    await sim.settle();
    expect(karpenterInstances(sim)).toHaveLength(1);
  });

  it("stops the load balancer controller: a deleted Service stays Terminating and its load balancer bills", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    await call(sim, "POST", "/controllers/lb-controller/stop");
    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "Service",
      name: "webui-public",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(
      get(sim, "v1", "Service", "webui-public", "ai-platform")?.metadata?.deletionTimestamp,
    ).toBeDefined();
    expect(sim.ledger.loadBalancers()).toHaveLength(1);
    await call(sim, "POST", "/controllers/lb-controller/start");
    await sim.settle();
    expect(get(sim, "v1", "Service", "webui-public", "ai-platform")).toBeUndefined();
    expect(sim.ledger.loadBalancers()).toEqual([]);
    // Its security groups went with it (after the ENIs were released).
    expect(
      sim.ledger
        .running()
        .filter((r) => r.kind === "security-group" && r.createdBy === "aws-load-balancer-controller"),
    ).toEqual([]);
  });

  it("stops the EBS CSI driver: a deleted claim's volume stays until the driver is back", async () => {
    const sim = await startSim();
    sim.kube.store.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "ai-platform" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
    });
    await sim.settle();
    const volumes = () => sim.ledger.volumes().filter((v) => v.createdBy === "ebs-csi-driver");
    expect(volumes()).toHaveLength(1);
    await call(sim, "POST", "/controllers/ebs-csi/stop");
    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      name: "data",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(volumes()).toHaveLength(1);
    await call(sim, "POST", "/controllers/ebs-csi/start");
    await sim.settle();
    expect(volumes()).toEqual([]);
  });

  it("stops LiteLLM (connection refused) and starts it again on the same URL", async () => {
    const sim = await startSim();
    await call(sim, "POST", "/controllers/litellm/stop");
    await expect(fetch(`${sim.litellm.url}/health/liveliness`)).rejects.toThrow();
    await call(sim, "POST", "/controllers/litellm/start");
    expect((await fetch(`${sim.litellm.url}/health/liveliness`)).status).toBe(200);
  });

  it("makes an instance family unavailable: Karpenter falls back to another family", async () => {
    // A long unavailability window keeps the family out while the fallback launches (see the report
    // on Karpenter's retry loop once the 3-minute window lapses).
    const sim = await startSim({ delays: { capacityUnavailableMinutes: 60 } });
    expect(await call(sim, "POST", "/faults/capacity?family=g6")).toEqual({
      status: 200,
      body: { family: "g6", unavailable: true },
    });
    sim.kube.store.create(gpuPod);
    await sim.settle();
    const [instance] = karpenterInstances(sim);
    expect(instance?.type).toMatch(/^g(5|6e)\./);
  });

  it("makes a model fail to load with the message given", async () => {
    const sim = await startSim();
    const fault = await call(
      sim,
      "POST",
      "/faults/model-load?endpoint=broken&message=CUDA%20out%20of%20memory",
    );
    expect(fault.status).toBe(200);
    await deployEndpoint(sim, "broken");
    await sim.settle();
    const rs = get(sim, "ray.io/v1", "RayService", "broken", "inference");
    const app = (
      rs?.status as {
        activeServiceStatus?: {
          applicationStatuses?: Record<
            string,
            { status?: string; serveDeploymentStatuses?: Record<string, { message?: string }> }
          >;
        };
      }
    )?.activeServiceStatus?.applicationStatuses?.llm;
    expect(app?.status).toBe("DEPLOY_FAILED");
    // Ray Serve puts the replica's error on the model's deployment (deployment_state.py).
    expect(app?.serveDeploymentStatuses?.["LLMServer:google--gemma-3-4b-it"]?.message).toMatch(
      /failed to start 3 times in a row[\s\S]*\nCUDA out of memory$/,
    );
  });

  it("shows and destroys Terraform stages, refusing with DependencyViolation while the network is in use", async () => {
    const sim = await startSim();
    expect((await call(sim, "GET", "/terraform")).body.applied).toEqual(sim.terraform.applied());
    sim.kube.store.create(lbService);
    await sim.settle();
    expect((await call(sim, "POST", "/terraform/destroy?stage=30.eks/35.addons")).status).toBe(200);
    expect((await call(sim, "POST", "/terraform/destroy?stage=30.eks/30.cluster")).status).toBe(200);
    const blocked = await call(sim, "POST", "/terraform/destroy?stage=10.networking");
    expect(blocked.status).toBe(409);
    expect(String(blocked.body.error)).toMatch(/DependencyViolation/);
    expect((await call(sim, "GET", "/terraform")).body.applied).toContain("10.networking");
  });

  it("refuses what it does not know, naming what it accepts", async () => {
    const sim = await startSim();
    const unknown = await call(sim, "POST", "/controllers/flux/stop");
    expect(unknown.status).toBe(404);
    expect(String(unknown.body.error)).toContain(
      "argocd, kro, kuberay, karpenter, lb-controller, ebs-csi, litellm",
    );
    expect((await call(sim, "POST", "/terraform/destroy?stage=99.nope")).status).toBe(404);
    expect((await call(sim, "POST", "/terraform/destroy")).status).toBe(400);
    expect((await call(sim, "POST", "/faults/capacity?family=zz9")).status).toBe(400);
    expect((await call(sim, "GET", "/nothing")).status).toBe(404);
  });
});
