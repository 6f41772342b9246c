import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GPU_FAMILIES, parseCatalog } from "../../src/core/catalog/catalog.js";
import {
  bytesPerParameter,
  estimateMemory,
  INSTANCE_TYPES,
  needPerGpuGiB,
  parametersFromModelId,
  parseCpu,
  parseMemoryGiB,
  planFit,
  shapeOfCatalogModel,
} from "../../src/core/fit/index.js";
import { repoRoot } from "../support/paths.js";

const catalog = parseCatalog(readFileSync(join(repoRoot, "templates", "models.yaml"), "utf8"));
const byName = (name: string) => {
  const m = catalog.find((c) => c.name === name);
  if (!m) throw new Error(name);
  return m;
};

/**
 * Hand-computed: weights = params × bytes/param / 2^30; KV = 2 × layers × kvHeads × headDim × 2 B ×
 * 8192 tokens / 2^30; per GPU = (weights + KV) / GPUs + 2 GiB; usable = 0.9 × 24 (A10G, L4) or 48 (L40S).
 */
const TABLE: {
  model: string;
  gpus: number;
  weights: number;
  kv: number;
  perGpu: number;
  fits: Record<string, boolean>;
}[] = [
  // 4.3e9×2 = 8.009 GiB; 2×34×4×256×2×8192 = 1.0625 GiB; 9.072 + 2
  {
    model: "gemma-4b",
    gpus: 1,
    weights: 8.009,
    kv: 1.0625,
    perGpu: 11.072,
    fits: { g5: true, g6: true, g6e: true },
  },
  // 12.2e9×2 = 22.724 GiB; 2×48×8×256×2×8192 = 3 GiB
  {
    model: "gemma-12b",
    gpus: 1,
    weights: 22.724,
    kv: 3,
    perGpu: 27.724,
    fits: { g5: false, g6: false, g6e: true },
  },
  {
    model: "gemma-12b",
    gpus: 2,
    weights: 22.724,
    kv: 3,
    perGpu: 14.862,
    fits: { g5: true, g6: true, g6e: true },
  },
  // 70.6e9×2 = 131.503 GiB; 2×80×8×128×2×8192 = 2.5 GiB
  {
    model: "llama33-70b",
    gpus: 4,
    weights: 131.503,
    kv: 2.5,
    perGpu: 35.501,
    fits: { g5: false, g6: false, g6e: true },
  },
  {
    model: "llama33-70b",
    gpus: 8,
    weights: 131.503,
    kv: 2.5,
    perGpu: 18.75,
    fits: { g5: true, g6: true, g6e: true },
  },
  // 23.6e9×2 = 43.958 GiB; 2×40×8×128×2×8192 = 1.25 GiB
  {
    model: "mistral-small-24b",
    gpus: 1,
    weights: 43.958,
    kv: 1.25,
    perGpu: 47.208,
    fits: { g5: false, g6: false, g6e: false },
  },
  {
    model: "mistral-small-24b",
    gpus: 2,
    weights: 43.958,
    kv: 1.25,
    perGpu: 24.604,
    fits: { g5: false, g6: false, g6e: true },
  },
  // MXFP4: 117e9×0.6 = 65.379 GiB; 2×36×8×64×2×8192 = 0.5625 GiB
  {
    model: "gpt-oss-120b",
    gpus: 2,
    weights: 65.379,
    kv: 0.5625,
    perGpu: 34.971,
    fits: { g5: false, g6: false, g6e: true },
  },
  {
    model: "gpt-oss-120b",
    gpus: 4,
    weights: 65.379,
    kv: 0.5625,
    perGpu: 18.485,
    fits: { g5: true, g6: true, g6e: true },
  },
  // 8.0e9×2 = 14.901 GiB; 2×32×8×128×2×8192 = 1 GiB
  {
    model: "llama31-8b",
    gpus: 1,
    weights: 14.901,
    kv: 1,
    perGpu: 17.901,
    fits: { g5: true, g6: true, g6e: true },
  },
];

describe("GPU memory estimate against hand-computed values", () => {
  for (const row of TABLE) {
    it(`${row.model} on ${row.gpus} GPU(s): ${row.perGpu} GiB per GPU`, () => {
      const m = byName(row.model);
      const estimate = estimateMemory(shapeOfCatalogModel(m), 8192, bytesPerParameter(m.model));
      expect(estimate.weightsGiB).toBeCloseTo(row.weights, 2);
      expect(estimate.kvCacheGiB).toBeCloseTo(row.kv, 3);
      expect(needPerGpuGiB(estimate, row.gpus)).toBeCloseTo(row.perGpu, 2);
      const plan = planFit({
        shape: shapeOfCatalogModel(m),
        bytesPerParam: bytesPerParameter(m.model),
        maxModelLen: 8192,
        gpuCount: row.gpus,
        workerCpu: String(4 * row.gpus),
        workerMemory: `${24 * row.gpus}Gi`,
      });
      expect(Object.fromEntries(plan.families.map((f) => [f.family, f.fits]))).toEqual(row.fits);
      const all = Object.values(row.fits);
      expect(plan.verdict).toBe(all.every(Boolean) ? "fits" : all.some(Boolean) ? "partial" : "no-fit");
    });
  }

  it("agrees with the catalog's suggested GPU count for every model and family", () => {
    const disagreements = catalog.flatMap((m) => {
      const plan = planFit({
        shape: shapeOfCatalogModel(m),
        bytesPerParam: bytesPerParameter(m.model),
        maxModelLen: m.defaultMaxModelLen,
        gpuCount: 1,
        workerCpu: "4",
        workerMemory: "24Gi",
      });
      return plan.families
        .filter((f) => f.minGpus !== m.gpus[f.family])
        .map((f) => `${m.name} ${f.family}: estimate ${f.minGpus}, catalog ${m.gpus[f.family]}`);
    });
    expect(disagreements).toEqual([]);
  });

  it("suggests the GPU count that fits every family, or the family that fits", () => {
    const m = byName("llama33-70b");
    const plan = planFit({
      shape: shapeOfCatalogModel(m),
      bytesPerParam: 2,
      maxModelLen: 8192,
      gpuCount: 4,
      workerCpu: "16",
      workerMemory: "96Gi",
    });
    expect(plan.suggestion).toBe(
      "--gpus 8 (fits every family); or --gpus 4 --instance-family g6e (L40S 48 GB)",
    );
    const huge = planFit({
      shape: { parametersB: 700 },
      bytesPerParam: 2,
      maxModelLen: 8192,
      gpuCount: 8,
      workerCpu: "8",
      workerMemory: "64Gi",
    });
    expect(huge.verdict).toBe("no-fit");
    expect(huge.suggestion).toContain("does not fit even 8 GPUs");
  });

  it("prices only instances that can host the worker, on the smallest node size", () => {
    const m = byName("gemma-4b");
    const plan = planFit({
      shape: shapeOfCatalogModel(m),
      bytesPerParam: 2,
      maxModelLen: 8192,
      gpuCount: 1,
      workerCpu: "4",
      workerMemory: "24Gi",
    });
    const names = plan.candidates.map((c) => c.name);
    expect(names).not.toContain("g5.xlarge"); // 4 vCPU, 16 GiB: the 24Gi worker does not fit
    expect(names).toContain("g6.2xlarge");
    expect(names.every((n) => !/12xlarge|24xlarge|48xlarge/.test(n))).toBe(true);
    expect(plan.cost).toMatchObject({ minUsd: 0.98, maxUsd: 7.58 });
    expect(plan.cost?.note).toContain("approximate");
    const fat = planFit({
      shape: undefined,
      bytesPerParam: 2,
      maxModelLen: 8192,
      gpuCount: 1,
      workerCpu: "300",
      workerMemory: "24Gi",
    });
    expect(fat.hostProblem).toContain("no instance of the gpu-inference NodePool");
  });
});

describe("sizes from model ids and quantities", () => {
  it.each([
    ["Qwen/Qwen2.5-7B-Instruct", 7],
    ["meta-llama/Llama-3.2-1B", 1],
    ["HuggingFaceTB/SmolLM2-1.7B-Instruct", 1.7],
    ["mistralai/Mixtral-8x7B-v0.1", undefined],
    ["org/no-size-here", undefined],
    ["tiiuae/falcon-40b", 40],
  ])("%s → %s B parameters", (id, expected) => {
    expect(parametersFromModelId(id)).toBe(expected);
  });

  it.each([
    ["google/gemma-3-4b-it", 2],
    ["openai/gpt-oss-20b", 0.6],
    ["Qwen/Qwen2.5-7B-Instruct-AWQ", 0.55],
    ["neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8", 1],
  ])("%s stores %s bytes per parameter", (id, expected) => {
    expect(bytesPerParameter(id)).toBe(expected);
  });

  it("parses Kubernetes quantities", () => {
    expect(parseMemoryGiB("24Gi")).toBe(24);
    expect(parseMemoryGiB("1.5Ti")).toBe(1536);
    expect(parseMemoryGiB("32G")).toBeCloseTo(29.8, 1);
    expect(parseMemoryGiB("24GB")).toBeNaN();
    expect(parseCpu("3500m")).toBe(3.5);
    expect(parseCpu("4")).toBe(4);
    expect(parseCpu("4m5")).toBeNaN();
  });
});

describe("the GPU types the fit check knows", () => {
  it("are exactly the families the gpu-inference NodePool allows", () => {
    const pool = parse(
      readFileSync(
        join(repoRoot, "terraform/30.eks/30.cluster/karpenter/nodepool-gpu-inference.yaml.tftpl"),
        "utf8",
      ),
    ) as { spec: { template: { spec: { requirements: { key: string; values: string[] }[] } } } };
    const families = pool.spec.template.spec.requirements.find(
      (r) => r.key === "karpenter.k8s.aws/instance-family",
    )?.values;
    expect([...(families ?? [])].sort()).toEqual([...GPU_FAMILIES].sort());
    expect([...new Set(INSTANCE_TYPES.map((t) => t.family))].sort()).toEqual([...GPU_FAMILIES].sort());
  });
});
