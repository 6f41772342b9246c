/** templates/models.yaml: the catalog deploy-model offers, checked for size and sanity. */
import { describe, expect, it } from "vitest";
import { GPU_FAMILIES, type GpuFamily } from "../../src/core/catalog/index.js";
import { instanceSpecSchema } from "../../src/core/kro/index.js";
import { loadCatalog, loadRgd } from "./support/crd-fixtures.js";

const catalog = loadCatalog();
const rgdSpec = instanceSpecSchema(loadRgd());

// Usable bytes per card at vLLM's gpu_memory_utilization 0.9 (A10G and L4: 23 GiB, L40S: 45 GiB).
const CARD_BYTES: Record<GpuFamily, number> = {
  g5: 23 * 2 ** 30 * 0.9,
  g6: 23 * 2 ** 30 * 0.9,
  g6e: 45 * 2 ** 30 * 0.9,
};

/** bf16 weights (2 bytes a parameter); gpt-oss ships MXFP4 experts (~4.25 bits a parameter). */
function weightBytes(name: string, parametersB: number): number {
  return parametersB * 1e9 * (name.startsWith("gpt-oss") ? 0.53 : 2);
}

/** KV cache of one full-length sequence: K and V, every layer, bf16. */
function kvBytes(m: {
  layers: number;
  kvHeads: number;
  headDim: number;
  defaultMaxModelLen: number;
}): number {
  return 2 * m.layers * m.kvHeads * m.headDim * 2 * m.defaultMaxModelLen;
}

describe("the model catalog", () => {
  it("offers at least 15 models, including the popular families", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(15);
    const ids = catalog.map((m) => m.model).join(" ");
    for (const id of [
      "google/gemma-3-1b-it",
      "google/gemma-3-4b-it",
      "google/gemma-3-12b-it",
      "google/gemma-3-27b-it",
      "meta-llama/Llama-3",
      "Qwen/",
      "mistralai/",
      "microsoft/",
      "openai/gpt-oss",
      "deepseek-ai/DeepSeek-R1-Distill",
    ]) {
      expect(ids).toContain(id);
    }
  });

  it("has gemma-4b as the seed's example describes it", () => {
    expect(catalog.find((m) => m.name === "gemma-4b")).toMatchObject({
      model: "google/gemma-3-4b-it",
      gated: true,
    });
  });

  it("keeps every default context within the model's limit and the RGD's maxModelLen bounds", () => {
    const { minimum, maximum } = rgdSpec.properties?.maxModelLen ?? {};
    for (const m of catalog) {
      expect(m.defaultMaxModelLen, m.name).toBeLessThanOrEqual(m.contextLimit);
      expect(m.defaultMaxModelLen, m.name).toBeGreaterThanOrEqual(minimum ?? 0);
      expect(m.defaultMaxModelLen, m.name).toBeLessThanOrEqual(maximum ?? Number.POSITIVE_INFINITY);
    }
  });

  it("suggests GPU counts that hold weights plus one full-length sequence, and no more than needed", () => {
    for (const m of catalog) {
      const need = weightBytes(m.name, m.parametersB) + kvBytes(m);
      for (const family of GPU_FAMILIES) {
        const n = m.gpus[family];
        const label = `${m.name} on ${family}`;
        if (n === null) {
          expect(8 * CARD_BYTES[family], label).toBeLessThan(need);
          continue;
        }
        expect(n * CARD_BYTES[family], label).toBeGreaterThanOrEqual(need);
        const smaller = n / 2;
        if (smaller >= 1) expect(smaller * CARD_BYTES[family], label).toBeLessThan(need);
        // vLLM splits KV heads across GPUs (or replicates them): one must divide the other.
        expect(m.kvHeads % n === 0 || n % m.kvHeads === 0, `${label}: ${m.kvHeads} KV heads, ${n} GPUs`).toBe(
          true,
        );
        expect(n, label).toBeLessThanOrEqual(rgdSpec.properties?.gpuCount?.maximum ?? 8);
      }
    }
  });

  it("flags the gated families (Gemma, Llama, Mistral) so deploy-model can ask for an HF token", () => {
    for (const m of catalog) {
      const gatedFamily = /^(google|meta-llama|mistralai)\//.test(m.model);
      expect(m.gated, m.name).toBe(gatedFamily);
    }
  });
});
