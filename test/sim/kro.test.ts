import { describe, expect, it } from "vitest";
import { condition, deployEndpoint, get, list, litellmDeployment, rgd, startSim } from "./support/cluster.js";

describe("simulated KRO", () => {
  it("makes the RGD Active and serves the InferenceEndpoint kind", async () => {
    const sim = await startSim();
    sim.kube.store.apply(rgd(), { fieldManager: "test", force: true });
    await sim.settle();
    const def = get(sim, "kro.run/v1alpha1", "ResourceGraphDefinition", "inferenceendpoint.kro.run");
    expect((def?.status as { state?: string } | undefined)?.state).toBe("Active");
    expect(condition(def, "Ready")?.status).toBe("True");
    expect(
      get(sim, "apiextensions.k8s.io/v1", "CustomResourceDefinition", "inferenceendpoints.kro.run"),
    ).toBeDefined();
    expect(list(sim, "kro.run/v1alpha1", "InferenceEndpoint")).toEqual([]);
  });

  it("renders children with the project's renderer, labels them, and follows their readiness", async () => {
    const sim = await startSim();
    await deployEndpoint(sim, "qwen", { model: "Qwen/Qwen3-8B", gpuCount: 1 });
    await sim.settle();
    const rs = get(sim, "ray.io/v1", "RayService", "qwen", "inference");
    expect(rs?.metadata?.labels).toMatchObject({
      "kro.run/owned": "true",
      "kro.run/instance-name": "qwen",
      "kro.run/instance-namespace": "inference",
      "kro.run/resource-graph-definition-name": "inferenceendpoint.kro.run",
    });
    expect(String((rs?.spec as { serveConfigV2?: string } | undefined)?.serveConfigV2)).toContain(
      "model_id: Qwen/Qwen3-8B",
    );
    expect(rs?.metadata?.ownerReferences).toBeUndefined();
    const ep = get(sim, "kro.run/v1alpha1", "InferenceEndpoint", "qwen", "inference");
    expect(ep?.status).toMatchObject({ state: "ACTIVE", ready: true, modelStatus: "RUNNING" });
    expect(condition(ep, "Ready")?.status).toBe("True");
    expect(get(sim, "batch/v1", "Job", "qwen-litellm-register", "inference")).toBeDefined();
  });

  it("holds back a child that reads another until that one is ready (readyWhen), and reports why", async () => {
    const sim = await startSim();
    sim.kuberay.injectModelLoadError("slow", "CUDA out of memory");
    await deployEndpoint(sim, "slow");
    await sim.settle();
    const ep = get(sim, "kro.run/v1alpha1", "InferenceEndpoint", "slow", "inference");
    expect((ep?.status as { state?: string } | undefined)?.state).toBe("IN_PROGRESS");
    expect(condition(ep, "Ready")).toMatchObject({ status: "False" });
    expect(condition(ep, "Ready")?.message).toContain("rayservice");
    expect((ep?.status as { modelStatus?: string } | undefined)?.modelStatus).toBe("DEPLOY_FAILED");
    expect(get(sim, "batch/v1", "Job", "slow-litellm-register", "inference")).toBeUndefined();
  });

  it("re-creates a child that vanishes while the instance exists", async () => {
    const sim = await startSim();
    await deployEndpoint(sim, "heal");
    await sim.settle();
    const before = get(sim, "ray.io/v1", "RayService", "heal", "inference")?.metadata?.uid;
    sim.kube.store.delete({
      apiVersion: "ray.io/v1",
      kind: "RayService",
      name: "heal",
      namespace: "inference",
    });
    await sim.settle();
    const after = get(sim, "ray.io/v1", "RayService", "heal", "inference");
    expect(after).toBeDefined();
    expect(after?.metadata?.uid).not.toBe(before);
  });

  it("deletes the children in reverse order before the instance goes", async () => {
    const sim = await startSim();
    await deployEndpoint(sim, "bye");
    await sim.settle();
    const deleted: string[] = [];
    const stops = [
      sim.kube.store.watch(
        { apiVersion: "ray.io/v1", kind: "RayService" },
        {},
        (e) => e.type === "DELETED" && deleted.push("RayService"),
      ),
      sim.kube.store.watch(
        { apiVersion: "batch/v1", kind: "Job" },
        {},
        (e) => e.type === "DELETED" && deleted.push("Job"),
      ),
    ];
    sim.kube.store.delete({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      name: "bye",
      namespace: "inference",
    });
    await sim.settle();
    for (const stop of stops) stop();
    expect(deleted).toEqual(["Job", "RayService"]);
    expect(get(sim, "kro.run/v1alpha1", "InferenceEndpoint", "bye", "inference")).toBeUndefined();
    expect(list(sim, "v1", "Pod", { namespace: "inference" })).toEqual([]);
  });
});

describe("the registration Job", () => {
  it("waits for LiteLLM to be ready before registering, so the endpoint is not Ready without it", async () => {
    const sim = await startSim();
    sim.kube.store.apply(rgd(), { fieldManager: "test", force: true });
    await sim.settle();
    sim.kube.store.create({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      metadata: { name: "lonely", namespace: "inference" },
      spec: { model: "google/gemma-3-4b-it" },
    });
    await sim.settle();
    expect(get(sim, "batch/v1", "Job", "lonely-litellm-register", "inference")).toBeDefined();
    expect(
      condition(get(sim, "kro.run/v1alpha1", "InferenceEndpoint", "lonely", "inference"), "Ready")?.status,
    ).toBe("False");
    expect(sim.litellm.registered()).toEqual([]);

    sim.kube.store.create(litellmDeployment());
    await sim.settle();
    expect(sim.litellm.registered().map((m) => m.model_name)).toEqual(["lonely"]);
    expect(
      condition(get(sim, "kro.run/v1alpha1", "InferenceEndpoint", "lonely", "inference"), "Ready")?.status,
    ).toBe("True");
  });
});
