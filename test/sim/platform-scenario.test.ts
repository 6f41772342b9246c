import { afterEach, describe, expect, it } from "vitest";
import { type SimulatedCluster, startSimulatedCluster } from "../support/sim/index.js";
import { forwardToPod } from "./support/forward.js";
import {
  app,
  applyApplications,
  commitEndpoint,
  endpoint,
  gpuNodes,
  loadApplications,
  makePlatformRepo,
  readyCondition,
} from "./support/platform.js";

// Each test runs a whole platform lifecycle: seconds normally, more on a loaded CI machine.
let sim: SimulatedCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe("the platform's own argocd/ and platform/ content on the simulated cluster", () => {
  it("syncs, serves a model on a GPU node, self-heals, releases the node and leaves no instances", async () => {
    const repo = makePlatformRepo();
    sim = await startSimulatedCluster({ seed: 7 });
    applyApplications(sim, loadApplications(repo));
    await sim.settle();

    const apps = ["gpu-operator", "kuberay-operator", "langfuse", "litellm", "open-webui", "workloads"];
    for (const name of apps) {
      const status = app(sim, name).status as { sync?: { status?: string }; health?: { status?: string } };
      expect({ name, sync: status.sync?.status, health: status.health?.status }).toEqual({
        name,
        sync: "Synced",
        health: "Healthy",
      });
    }
    expect(gpuNodes(sim)).toHaveLength(0);

    commitEndpoint(repo, "gemma-4b");
    await sim.settle();
    const ep = endpoint(sim, "gemma-4b");
    expect((ep?.status as { state?: string } | undefined)?.state).toBe("ACTIVE");
    expect(readyCondition(ep)).toBe("True");
    expect(gpuNodes(sim)).toHaveLength(1);
    expect(sim.ledger.instances().some((i) => i.createdBy === "karpenter" && i.type?.startsWith("g"))).toBe(
      true,
    );

    // LiteLLM answers through the litellm pod's port-forward, as `aiplat chat` reaches it.
    const litellmPod = sim.kube.store.list(
      { apiVersion: "v1", kind: "Pod" },
      { namespace: "ai-platform", labelSelector: "app.kubernetes.io/name=litellm" },
    )[0];
    const forward = await forwardToPod(sim, "ai-platform", litellmPod?.metadata?.name ?? "", 4000);
    try {
      const res = await fetch(`${forward.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${sim.litellm.masterKey}`,
          "content-type": "application/json",
          connection: "close",
        },
        body: JSON.stringify({ model: "gemma-4b", messages: [{ role: "user", content: "Hello there" }] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toContain("Hello there");
    } finally {
      await forward.close();
    }

    // selfHeal: ArgoCD brings back an endpoint that is still in git.
    const firstUid = ep?.metadata?.uid;
    sim.kube.store.delete({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      name: "gemma-4b",
      namespace: "inference",
    });
    await sim.settle();
    const healed = endpoint(sim, "gemma-4b");
    expect(healed).toBeDefined();
    expect(healed?.metadata?.uid).not.toBe(firstUid);

    // With automated sync off, deleting it sticks and the GPU node goes.
    sim.argocd.setAutomated("workloads", false);
    await sim.settle();
    sim.kube.store.delete({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      name: "gemma-4b",
      namespace: "inference",
    });
    await sim.settle();
    expect(endpoint(sim, "gemma-4b")).toBeUndefined();
    expect(gpuNodes(sim)).toHaveLength(0);
    expect(sim.ledger.instances().filter((i) => i.createdBy === "karpenter")).toEqual([]);

    for (const stage of [
      "30.eks/35.addons",
      "30.eks/30.cluster",
      "20.iam-roles-for-eks",
      "10.networking",
    ] as const) {
      await sim.terraform.destroy(stage);
    }
    expect(sim.ledger.instances()).toEqual([]);
    expect(sim.failures).toEqual([]);
  }, 60_000);
});

describe("bootstrapping a repository that already holds an endpoint", () => {
  it("creates the InferenceEndpoint in a later wave, retrying until KRO serves its kind", async () => {
    const repo = makePlatformRepo();
    commitEndpoint(repo, "early");
    sim = await startSimulatedCluster({ seed: 11 });
    applyApplications(sim, loadApplications(repo));
    await sim.settle();
    const status = app(sim, "workloads").status as {
      sync?: { status?: string };
      operationState?: { phase?: string };
    };
    expect(status.sync?.status).toBe("Synced");
    expect(status.operationState?.phase).toBe("Succeeded");
    expect(readyCondition(endpoint(sim, "early"))).toBe("True");
  }, 60_000);
});

describe("undeploying through git", () => {
  it("prunes the endpoint when its file leaves git, and the GPU node goes after consolidateAfter", async () => {
    const repo = makePlatformRepo();
    commitEndpoint(repo, "temp");
    sim = await startSimulatedCluster({ seed: 5 });
    applyApplications(sim, loadApplications(repo));
    await sim.settle();
    expect(gpuNodes(sim)).toHaveLength(1);
    repo.git("rm", "--quiet", "platform/workloads/temp.yaml");
    repo.git("commit", "--quiet", "-m", "undeploy temp");
    repo.git("push", "--quiet", "origin", "main");
    await sim.settle();
    expect(endpoint(sim, "temp")).toBeUndefined();
    expect(
      sim.kube.store.list({ apiVersion: "ray.io/v1", kind: "RayService" }, { namespace: "inference" }),
    ).toEqual([]);
    expect(gpuNodes(sim)).toHaveLength(0);
    expect(sim.ledger.instances().filter((i) => i.createdBy === "karpenter")).toEqual([]);
    const status = app(sim, "workloads").status as { sync?: { status?: string } };
    expect(status.sync?.status).toBe("Synced");
  }, 60_000);
});

describe("a platform app that cannot start", () => {
  it("turns Degraded with the reason once its Deployment passes the progress deadline", async () => {
    const repo = makePlatformRepo();
    sim = await startSimulatedCluster({ seed: 13 });
    sim.pods.injectImagePullError(
      { namespace: "ai-platform", image: "ghcr.io/berriai/litellm" },
      "manifest unknown",
    );
    applyApplications(sim, loadApplications(repo));
    await sim.settle();
    const litellm = app(sim, "litellm").status as { health?: { status?: string; message?: string } };
    expect(litellm.health).toEqual({
      status: "Degraded",
      message: 'Deployment "litellm" exceeded its progress deadline',
    });
    expect((app(sim, "open-webui").status as { health?: { status?: string } }).health?.status).toBe(
      "Healthy",
    );
  }, 60_000);
});
