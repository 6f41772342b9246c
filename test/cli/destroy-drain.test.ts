import { describe, expect, it, vi } from "vitest";
import { destroyPlatformPerTest } from "../fixtures/destroy/platform.js";
import { gpuWorkload } from "../support/gpu-workload.js";

vi.setConfig({ testTimeout: 300_000 });

const startPlatform = destroyPlatformPerTest();

/** A user's one-replica GPU Deployment outside the platform's endpoints, guarded by a PDB. */
const guarded = gpuWorkload("batch-embedder");

const PDB = { apiVersion: "policy/v1", kind: "PodDisruptionBudget" };

describe("aiplat destroy and a PodDisruptionBudget on a GPU node", () => {
  it("names the pod and the PDB that block the drain, with the choices, and never hangs silently; once the PDB goes, destroy again finishes", async () => {
    const platform = await startPlatform();
    const { sim, run } = platform;
    // A pool without terminationGracePeriod (Karpenter's default; the platform sets 1h), set before
    // the node is claimed (a NodeClaim copies it): the blocked drain would wait forever, so aiplat
    // must say what holds it.
    sim.kube.store.patch(
      { apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" },
      { spec: { template: { spec: { terminationGracePeriod: null } } } },
    );
    sim.kube.store.create(guarded);
    sim.kube.store.create({
      ...PDB,
      metadata: { name: "batch-embedder", namespace: "inference" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "batch-embedder" } } },
    });
    await sim.settle();
    const pod = sim.kube.store.list(
      { apiVersion: "v1", kind: "Pod" },
      { namespace: "inference", labelSelector: "app=batch-embedder" },
    )[0];
    const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
    expect(node).toBeDefined();

    const blocked = await run(["destroy", "--keep-infra", "--yes", "--timeout", "20m"]);
    expect(blocked.exitCode, blocked.stderr).toBe(5);
    const why = `drain of node ${node} blocked by PodDisruptionBudget inference/batch-embedder (pod inference/${pod?.metadata?.name}, 0 disruptions allowed); choices: delete or relax the PDB (\`kubectl delete pdb -n inference batch-embedder\`), scale the workload down, or wait`;
    expect(blocked.stderr).toContain(`waiting: `);
    expect(blocked.stderr).toContain(why);
    expect(blocked.stderr).toContain("Timed out after 20m");
    expect(blocked.stderr).toContain("PodDisruptionBudgets on those nodes");
    expect(blocked.stderr).toContain("aiplat destroy --env dev --keep-infra --timeout 20m");

    // The user takes the first choice; the same command goes on.
    sim.kube.store.delete({ ...PDB, name: "batch-embedder", namespace: "inference" });
    const done = await run(["destroy", "--keep-infra", "--yes", "--timeout", "20m"]);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stderr).toContain("Resuming: the last run stopped at node-pools");
    await sim.settle();
    expect(
      sim.ledger.instances().filter((i) => i.createdBy === "karpenter" && !i.deletingSinceMinute),
    ).toEqual([]);
  });
});
