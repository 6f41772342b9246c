import { describe, expect, it } from "vitest";
import type { SimulatedCluster } from "../support/sim/index.js";
import { addNode, deployEndpoint, GPU_NODE, get, list, startSim } from "./support/cluster.js";

type Serve = {
  status?: string;
  message?: string;
  serveDeploymentStatuses?: Record<string, { status?: string; message?: string }>;
};
const serve = (sim: SimulatedCluster, name: string): Serve | undefined =>
  (
    get(sim, "ray.io/v1", "RayService", name, "inference")?.status as
      | { activeServiceStatus?: { applicationStatuses?: Record<string, Serve> } }
      | undefined
  )?.activeServiceStatus?.applicationStatuses?.llm;

/** One L40S node (g6e.xlarge, 48 GB) instead of what Karpenter would pick: the card decides. */
async function onL40S(): Promise<SimulatedCluster> {
  const sim = await startSim();
  sim.karpenter.stop();
  addNode(sim, "cpu-1", { cpu: "8", memory: "32Gi" });
  addNode(sim, "gpu-1", {
    ...GPU_NODE,
    memory: "128Gi",
    labels: { ...GPU_NODE.labels, "node.kubernetes.io/instance-type": "g6e.xlarge" },
  });
  return sim;
}

const workers = (sim: SimulatedCluster) =>
  list(sim, "v1", "Pod", { namespace: "inference", labelSelector: "ray.io/node-type=worker" });

describe("simulated model loading fails as vLLM and the Hub make it fail", () => {
  it("a gated model without inference/hf-token: HuggingFace's 401 on the LLMServer deployment, DEPLOY_FAILED", async () => {
    const sim = await startSim({ hfToken: false });
    await deployEndpoint(sim, "gemma", { model: "google/gemma-3-4b-it" });
    await sim.settle();
    const app = serve(sim, "gemma");
    expect(app?.status).toBe("DEPLOY_FAILED");
    expect(app?.message).toBe("Failed to update the deployments ['LLMServer:google--gemma-3-4b-it'].");
    const server = app?.serveDeploymentStatuses?.["LLMServer:google--gemma-3-4b-it"];
    expect(server?.status).toBe("DEPLOY_FAILED");
    expect(server?.message).toContain("The deployment failed to start 3 times in a row.");
    expect(server?.message).toContain("huggingface_hub.errors.GatedRepoError: 401 Client Error.");
    expect(server?.message).toContain(
      "Access to model google/gemma-3-4b-it is restricted. You must have access to it and be authenticated to access it. Please log in.",
    );

    // The Secret alone changes nothing: the workers' HF_TOKEN was resolved when they started.
    sim.kube.store.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "hf-token", namespace: "inference" },
      data: { token: Buffer.from("hf_x").toString("base64") },
    });
    await sim.settle();
    expect(serve(sim, "gemma")?.status).toBe("DEPLOY_FAILED");
    // A restarted worker reads it, and the model loads.
    for (const pod of workers(sim))
      sim.kube.store.delete({
        apiVersion: "v1",
        kind: "Pod",
        name: pod.metadata?.name ?? "",
        namespace: "inference",
      });
    await sim.settle();
    expect(serve(sim, "gemma")?.status).toBe("RUNNING");
  });

  it("an open model loads without a token; a gated one loads with it", async () => {
    const sim = await startSim({ hfToken: false });
    await deployEndpoint(sim, "qwen", { model: "Qwen/Qwen3-4B" });
    await sim.settle();
    expect(serve(sim, "qwen")?.status).toBe("RUNNING");
    const withToken = await startSim();
    await deployEndpoint(withToken, "gemma", { model: "google/gemma-3-4b-it" });
    await withToken.settle();
    expect(serve(withToken, "gemma")?.status).toBe("RUNNING");
  });

  it("weights larger than the GPU: torch's CUDA out of memory", async () => {
    const sim = await onL40S();
    // Gemma 3 27B in bf16 is about 51 GiB: more than the L40S's 44.7 GiB.
    await deployEndpoint(sim, "big", { model: "google/gemma-3-27b-it", gpuCount: 1 });
    await sim.settle();
    const message = serve(sim, "big")?.serveDeploymentStatuses?.["LLMServer:google--gemma-3-27b-it"]?.message;
    expect(message).toMatch(
      /torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate [\d.]+ (MiB|GiB)\. GPU 0 has a total capacity of 44\.70 GiB of which [\d.]+ (MiB|GiB) is free\./,
    );
    expect(serve(sim, "big")?.status).toBe("DEPLOY_FAILED");
  });

  it("weights that fit the card but not under gpu_memory_utilization: vLLM has no memory for the KV cache", async () => {
    const sim = await onL40S();
    // Mistral Small 24B in bf16 is 44 GiB: it loads, but leaves nothing under 90 % of 44.7 GiB.
    await deployEndpoint(sim, "tight", { model: "mistralai/Mistral-Small-24B-Instruct-2501", gpuCount: 1 });
    await sim.settle();
    const app = serve(sim, "tight");
    const message = Object.values(app?.serveDeploymentStatuses ?? {}).find((d) => d.message)?.message;
    expect(app?.status).toBe("DEPLOY_FAILED");
    expect(message).toContain("ValueError: No available memory for the cache blocks.");
  });

  it("room for the weights but not for one max_model_len sequence: vLLM's KV cache error with the length that fits", async () => {
    const sim = await onL40S();
    // Gemma 3 12B: 22.7 GiB of weights leave ~16.5 GiB, a 131072-token sequence needs 48 GiB.
    await deployEndpoint(sim, "long", { model: "google/gemma-3-12b-it", gpuCount: 1, maxModelLen: 131072 });
    await sim.settle();
    const app = serve(sim, "long");
    const message = app?.serveDeploymentStatuses?.["LLMServer:google--gemma-3-12b-it"]?.message;
    expect(app?.status).toBe("DEPLOY_FAILED");
    expect(message).toMatch(
      /ValueError: To serve at least one request with the models's max seq len \(131072\), \(48\.00 GiB KV cache is needed, which is larger than the available KV cache memory \([\d.]+ GiB\)\. Based on the available memory, the estimated maximum model length is [\d,]+\./,
    );
  });
});
