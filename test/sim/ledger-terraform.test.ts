import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import { get, startSim } from "./support/cluster.js";

const lbService: KubeObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "webui-public", namespace: "ai-platform" },
  spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80, targetPort: 8080 }] },
};

const gpuPod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "gpu", namespace: "inference" },
  spec: {
    nodeSelector: { "workload-type": "gpu-inference" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
    containers: [{ name: "c", image: "x", resources: { requests: { "nvidia.com/gpu": "1" } } }],
  },
};

describe("the simulated cloud ledger and Terraform stages", () => {
  it("records what each stage creates, with hourly prices, and removes it on destroy", async () => {
    const sim = await startSim();
    const kinds = sim.ledger.running().map((r) => r.kind);
    for (const kind of ["vpc", "nat-gateway", "eks-cluster", "eks-capability", "instance"])
      expect(kinds).toContain(kind);
    expect(
      sim.ledger
        .running()
        .filter((r) => r.kind === "eks-capability")
        .map((r) => r.name),
    ).toEqual(["argocd", "kro", "ack"]);
    expect(sim.terraform.applied()).toEqual([
      "10.networking",
      "20.iam-roles-for-eks",
      "30.eks/30.cluster",
      "30.eks/35.addons",
    ]);
    // EKS $0.10 + NAT $0.045 + 2 × m7i.large + capabilities + root volumes.
    expect(sim.ledger.hourlyCost()).toBeGreaterThan(0.1 + 0.045 + 2 * 0.1008);
    expect(get(sim, "karpenter.sh/v1", "NodePool", "gpu-inference")).toBeDefined();
    expect(
      Buffer.from(
        String(
          (
            get(sim, "v1", "Secret", "litellm-secrets", "ai-platform")?.data as
              | Record<string, string>
              | undefined
          )?.["master-key"],
        ),
        "base64",
      ).toString(),
    ).toBe(sim.litellm.masterKey);

    for (const stage of [
      "30.eks/35.addons",
      "30.eks/30.cluster",
      "20.iam-roles-for-eks",
      "10.networking",
    ] as const)
      await sim.terraform.destroy(stage);
    await sim.settle();
    expect(sim.ledger.running()).toEqual([]);
    expect(sim.ledger.hourlyCost()).toBe(0);
    expect(sim.ledger.history().length).toBeGreaterThan(0);
  });

  it("fails to destroy the network while a load balancer the controller can no longer delete holds ENIs in the VPC", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    await sim.terraform.destroy("30.eks/35.addons");
    await sim.terraform.destroy("30.eks/30.cluster");
    await sim.terraform.destroy("20.iam-roles-for-eks");
    await expect(sim.terraform.destroy("10.networking")).rejects.toThrow(/DependencyViolation/);
    expect(sim.ledger.loadBalancers().map((i) => i.createdBy)).toEqual(["aws-load-balancer-controller"]);
    expect(sim.ledger.hourlyCost()).toBeGreaterThan(0.02);
  });

  it("can skip the secrets Terraform makes and start with an empty account", async () => {
    const sim = await startSim({ applyStages: [], createSecrets: false });
    expect(sim.ledger.running()).toEqual([]);
    expect(get(sim, "v1", "Secret", "litellm-secrets", "ai-platform")).toBeUndefined();
  });

  it("is deterministic for a seed: the same names and ids on every run", async () => {
    const names = async () => {
      const sim = await startSim({ seed: 42 });
      sim.kube.store.create(gpuPod);
      await sim.settle();
      const claim = sim.kube.store.list({ apiVersion: "karpenter.sh/v1", kind: "NodeClaim" })[0]?.metadata
        ?.name;
      const ids = sim.ledger.instances().map((i) => i.id);
      await sim.stop();
      return { claim, ids };
    };
    const a = await names();
    const b = await names();
    expect(a.claim).toMatch(/^gpu-inference-/);
    expect(a).toEqual(b);
  });
});

describe("the simulated account over HTTP", () => {
  it("lets a child process destroy stages and read what is left", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    const post = (path: string) => fetch(`${sim.cloud.url}${path}`, { method: "POST" });
    expect((await post("/stages/30.eks/35.addons/destroy")).status).toBe(200);
    expect((await post("/stages/30.eks/30.cluster/destroy")).status).toBe(200);
    const blocked = await post("/stages/10.networking/destroy");
    expect(blocked.status).toBe(409);
    expect(((await blocked.json()) as { error: string }).error).toContain("DependencyViolation");
    const left = (await (await fetch(`${sim.cloud.url}/resources?kind=load-balancer`)).json()) as {
      resources: { createdBy: string }[];
    };
    expect(left.resources.map((r) => r.createdBy)).toEqual(["aws-load-balancer-controller"]);
    expect((await post("/stages/99.nope/apply")).status).toBe(404);
  });
});
