import { describe, expect, it, vi } from "vitest";
import { gpuNodes } from "../fixtures/deploy/sim-platform.js";
import { addLoadBalancerService, destroyPlatformPerTest } from "../fixtures/destroy/platform.js";

vi.setConfig({ testTimeout: 600_000 });

const startPlatform = destroyPlatformPerTest();

describe("aiplat destroy when the controllers that delete AWS resources are gone", () => {
  it("names the stuck Service, its load balancer and --sweep; --sweep deletes through AWS and only then releases the finalizers", async () => {
    const platform = await startPlatform();
    const { sim, run } = platform;
    expect((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    addLoadBalancerService(platform);
    await sim.settle();
    const lb = sim.ledger.loadBalancers()[0];
    expect(lb).toBeDefined();
    const gpu = sim.ledger.instances().filter((i) => i.createdBy === "karpenter");
    expect(gpu.length).toBeGreaterThan(0);
    // The add-ons stage (the LB controller) is already gone, and Karpenter is stopped.
    sim.terraform.destroy("30.eks/35.addons");
    sim.karpenter.stop();

    const stuck = await run(["destroy", "--keep-infra", "--yes", "--timeout", "5m"]);
    expect(stuck.exitCode).toBe(5);
    expect(stuck.stderr).toContain(
      "ai-platform/public-chat (Terminating, finalizer service.k8s.aws/resources",
    );
    expect(stuck.stderr).toContain(`load-balancer ${lb?.name}`);
    expect(stuck.stderr).toContain("aiplat destroy --env dev --keep-infra --timeout 5m --sweep");
    // Nothing was stripped blindly: the Service is still held while its load balancer bills.
    expect(sim.ledger.loadBalancers()).toHaveLength(1);
    const svc = sim.kube.store.tryGet({
      apiVersion: "v1",
      kind: "Service",
      name: "public-chat",
      namespace: "ai-platform",
    });
    expect(svc?.metadata?.finalizers).toContain("service.k8s.aws/resources");

    const swept = await run(["destroy", "--keep-infra", "--yes", "--timeout", "5m", "--sweep"]);
    expect(swept.exitCode, swept.stderr).toBe(0);
    expect(swept.stderr).toContain("Resuming: the last run stopped at load-balancers");
    expect(swept.stderr).toContain(
      "Removed finalizer service.k8s.aws/resources from Service ai-platform/public-chat: AWS shows no load balancer for it any more",
    );
    expect(swept.stderr).toMatch(
      /Removed finalizer karpenter\.sh\/termination from NodeClaim gpu-inference-\w+: its EC2 instance/,
    );
    await sim.settle();
    expect(sim.ledger.loadBalancers()).toEqual([]);
    expect(sim.ledger.instances().filter((i) => i.createdBy === "karpenter")).toEqual([]);
    expect(
      sim.kube.store.tryGet({
        apiVersion: "v1",
        kind: "Service",
        name: "public-chat",
        namespace: "ai-platform",
      }),
    ).toBeUndefined();
    expect(
      gpuNodes(sim).every((n) => n.metadata?.finalizers?.includes("karpenter.sh/termination") !== true),
    ).toBe(true);
  });

  it("Karpenter already gone: its GPU instance is found through EC2 and named with its cost and --sweep; nothing is stripped", async () => {
    const platform = await startPlatform();
    const { sim, run } = platform;
    expect((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    const gpu = sim.ledger.instances().filter((i) => i.createdBy === "karpenter");
    expect(gpu.length).toBeGreaterThan(0);
    sim.karpenter.stop();

    const stuck = await run(["destroy", "--keep-infra", "--yes", "--timeout", "5m"]);
    expect(stuck.exitCode).toBe(5);
    expect(stuck.stderr).toContain("Delete the Karpenter NodePools");
    for (const i of gpu)
      expect(stuck.stderr).toMatch(new RegExp(`instance ${i.id} \\(\\$\\d+\\.\\d{4}/h\\)`));
    expect(stuck.stderr).toContain("finalizer karpenter.sh/termination, removed by Karpenter");
    expect(stuck.stderr).toContain("If karpenter is gone, nothing will delete");
    expect(stuck.stderr).toContain("aiplat destroy --env dev --keep-infra --timeout 5m --sweep");
    // Still billing, still held: no finalizer was removed while AWS shows the instance.
    expect(
      sim.ledger.instances().filter((i) => i.createdBy === "karpenter" && !i.deletingSinceMinute),
    ).toHaveLength(gpu.length);
    expect(
      gpuNodes(sim).every((n) => n.metadata?.finalizers?.includes("karpenter.sh/termination") === true),
    ).toBe(true);
  });
});
