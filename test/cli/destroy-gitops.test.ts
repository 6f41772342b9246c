import { describe, expect, it, vi } from "vitest";
import { destroyPlatformPerTest } from "../fixtures/destroy/platform.js";

vi.setConfig({ testTimeout: 300_000 });

const startPlatform = destroyPlatformPerTest();

const ENDPOINT = { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint" };

describe("aiplat destroy with ArgoCD self-heal on", () => {
  it("a naive teardown that deletes the endpoint first sees it return; aiplat destroy stops GitOps first and nothing comes back", async () => {
    const platform = await startPlatform();
    const { sim, run } = platform;
    expect((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    const ref = { ...ENDPOINT, name: "gemma-4b", namespace: "inference" };
    const first = sim.kube.store.get(ref).metadata?.uid;

    // Naive: `kubectl delete inferenceendpoint gemma-4b` while the workloads app self-heals.
    sim.kube.store.delete(ref);
    await sim.settle();
    const back = sim.kube.store.tryGet(ref);
    expect(back?.metadata?.deletionTimestamp).toBeUndefined();
    expect(back?.metadata?.uid).not.toBe(first);

    // aiplat: every endpoint created from here on would be a re-creation.
    const created: string[] = [];
    const stopWatch = sim.kube.store.watch(
      ENDPOINT,
      { resourceVersion: String(sim.kube.store.resourceVersion) },
      (e) => {
        if (e.type === "ADDED") created.push(e.object.metadata?.name ?? "");
      },
    );
    const destroy = await run(["destroy", "--keep-infra", "--yes"]);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain("automated sync of Application argocd/workloads switched off");
    // ArgoCD keeps refreshing: still nothing comes back.
    sim.argocd.refresh();
    await sim.settle();
    stopWatch();
    expect(created).toEqual([]);
    expect(sim.kube.store.list(ENDPOINT)).toEqual([]);
    expect(
      sim.ledger
        .instances()
        .filter((i) => i.createdBy === "karpenter" && i.tags["karpenter.sh/nodepool"])
        .every((i) => i.deletingSinceMinute !== undefined),
    ).toBe(true);
  });
});
