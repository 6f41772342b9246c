import { describe, expect, it } from "vitest";
import type { CatalogModel } from "../../src/core/catalog/catalog.js";
import {
  bytesPerParameter,
  CPU_PATTERN,
  describeNeed,
  estimateMemory,
  findInstanceType,
  fitsCard,
  GPU_CARDS,
  GPU_MEMORY_UTILIZATION,
  MEMORY_PATTERN,
  needPerGpuGiB,
  OVERHEAD_GIB_PER_GPU,
  PRICE_NOTE,
  parametersFromModelId,
  parseCpu,
  parseMemoryBytes,
  planFit,
  shapeOfCatalogModel,
  usableGiB,
} from "../../src/core/fit/index.js";

const GIB = 2 ** 30;

describe("bytes per parameter from the model id", () => {
  it.each([
    ["openai/gpt-oss-120b", 0.6],
    ["OpenAI/GPT-OSS-20B", 0.6],
    ["openai/gpt-4o-mini", 2],
    ["mirror/openai/gpt-oss-20b", 2],
    ["awq-model", 0.55],
    ["org/model_gptq", 0.55],
    ["org/model.int4.x", 0.55],
    ["org/model-w4a16", 0.55],
    ["org/model-4bit", 0.55],
    ["org/model-bnb-4bit", 0.55],
    ["org/awqish-model", 2],
    ["org/mawq", 2],
    ["fp8-model", 1],
    ["org/model_int8", 1],
    ["org/model.w8a8", 1],
    ["org/model-w8a16", 1],
    ["org/model-8bit", 1],
    ["org/model-fp8x", 2],
    ["org/xfp8", 2],
    ["org/plain-model", 2],
  ])("%s: %s bytes", (id, bytes) => {
    expect(bytesPerParameter(id)).toBe(bytes);
  });
});

describe("the parameter count written in a model id", () => {
  it.each([
    ["org/7B", 7],
    ["org/model-7b", 7],
    ["org/model_7B_chat", 7],
    ["org/model.7B.gguf", 7],
    ["Qwen/Qwen2.5-0.5B-Instruct", 0.5],
    ["org/model-1.75B", 1.75],
    ["no-org-13B", 13],
    ["org/model-1B-distilled-from-70B", 70],
    ["org/x7B", undefined],
    ["org/model-7Bx", undefined],
    ["org/model-0B", undefined],
    ["org/model-B", undefined],
  ])("%s → %s", (id, expected) => {
    expect(parametersFromModelId(id)).toBe(expected);
  });
});

describe("the memory estimate", () => {
  it("uses the architecture when all of it is known (bf16 by default)", () => {
    // 8e9 × 2 B; 2 (K,V) × 32 layers × 8 heads × 128 dims × 2 B = 128 KiB per token × 8192 = 1 GiB.
    const e = estimateMemory({ parametersB: 8, layers: 32, kvHeads: 8, headDim: 128 }, 8192);
    expect(e.weightsGiB).toBeCloseTo(16e9 / GIB, 10);
    expect(e.kvCacheGiB).toBe(1);
    expect(e.kvApproximate).toBe(false);
    expect(e.totalGiB).toBeCloseTo(16e9 / GIB + 1, 10);
  });

  it.each([
    [{ parametersB: 8, kvHeads: 8, headDim: 128 }],
    [{ parametersB: 8, layers: 32, headDim: 128 }],
    [{ parametersB: 8, layers: 32, kvHeads: 8 }],
  ])("extrapolates the KV cache from Llama-3-8B when part of the architecture is missing", (shape) => {
    const e = estimateMemory(shape, 8192, 1);
    expect(e.kvApproximate).toBe(true);
    expect(e.kvCacheGiB).toBe(1);
    expect(e.weightsGiB).toBeCloseTo(8e9 / GIB, 10);
  });

  it("scales the extrapolated KV cache by the square root of the size, never below 8B's", () => {
    expect(estimateMemory({ parametersB: 32 }, 8192).kvCacheGiB).toBe(2);
    expect(estimateMemory({ parametersB: 2 }, 8192).kvCacheGiB).toBe(1);
    expect(estimateMemory({ parametersB: 2 }, 4096).kvCacheGiB).toBe(0.5);
  });

  it("splits the model over the GPUs and adds the per-GPU overhead", () => {
    expect(OVERHEAD_GIB_PER_GPU).toBe(2);
    expect(GPU_MEMORY_UTILIZATION).toBe(0.9);
    const e = { weightsGiB: 15, kvCacheGiB: 1, kvApproximate: false, totalGiB: 16 };
    expect(needPerGpuGiB(e, 1)).toBe(18);
    expect(needPerGpuGiB(e, 4)).toBe(6);
    expect(usableGiB(48)).toBeCloseTo(43.2, 10);
  });

  it("fits a card when the need equals the usable memory, not when it is above", () => {
    const e = (totalGiB: number) => ({ weightsGiB: totalGiB, kvCacheGiB: 0, kvApproximate: false, totalGiB });
    // Card of 10 GiB: 9 GiB usable; need = total + 2.
    expect(fitsCard(e(7), 1, 10)).toBe(true);
    expect(fitsCard(e(7.01), 1, 10)).toBe(false);
    expect(fitsCard(e(14), 2, 10)).toBe(true);
  });

  it("reads the shape of a catalog model", () => {
    const model = { parametersB: 70, layers: 80, kvHeads: 8, headDim: 128 } as CatalogModel;
    expect(shapeOfCatalogModel(model)).toEqual({ parametersB: 70, layers: 80, kvHeads: 8, headDim: 128 });
  });
});

describe("Kubernetes quantities", () => {
  it.each([
    ["1024", 1024],
    ["1.5", 1.5],
    ["1k", 1e3],
    ["1M", 1e6],
    ["1G", 1e9],
    ["1T", 1e12],
    ["1P", 1e15],
    ["1E", 1e18],
    ["2Mi", 2 * 2 ** 20],
    ["512Ki", 512 * 2 ** 10],
    ["0.5Gi", 2 ** 29],
    ["0.25Gi", 2 ** 28],
    ["1Ti", 2 ** 40],
    ["1Pi", 2 ** 50],
    ["1Ei", 2 ** 60],
  ])("memory %s is %d bytes", (text, bytes) => {
    expect(parseMemoryBytes(text)).toBe(bytes);
  });

  // "1ki" is not a Kubernetes quantity (binary suffixes are Ki…Ei; decimal kilo is a lower-case k).
  it.each(["", "Gi", "1m", "1K", "1ki", "1Xi", "x24Gi", "24Gix", "1.Gi", ".5Gi", "24 Gi"])(
    "memory %j is not a quantity",
    (text) => {
      expect(parseMemoryBytes(text)).toBeNaN();
      expect(MEMORY_PATTERN.test(text)).toBe(false);
    },
  );

  it.each([
    ["4", 4],
    ["0.5", 0.5],
    ["500m", 0.5],
    ["2.5m", 0.0025],
    ["0.25", 0.25],
  ])("CPU %s is %d cores", (text, cores) => {
    expect(parseCpu(text)).toBe(cores);
  });

  it.each(["", "m", "1.m", "x4", "4x", "4 ", "1Gi"])("CPU %j is not a quantity", (text) => {
    expect(parseCpu(text)).toBeNaN();
    expect(CPU_PATTERN.test(text)).toBe(false);
  });
});

describe("the instance types", () => {
  it("finds a type by name with its GPUs, vCPUs, memory and price", () => {
    expect(findInstanceType("g6e.12xlarge")).toEqual({
      name: "g6e.12xlarge",
      family: "g6e",
      gpus: 4,
      vcpu: 48,
      memoryGiB: 384,
      hourlyUsd: 10.49,
    });
    expect(findInstanceType("p5.48xlarge")).toBeUndefined();
  });

  it("knows each family's card", () => {
    expect(GPU_CARDS).toEqual({
      g5: { family: "g5", card: "A10G", memoryGiB: 24 },
      g6: { family: "g6", card: "L4", memoryGiB: 24 },
      g6e: { family: "g6e", card: "L40S", memoryGiB: 48 },
    });
    expect(PRICE_NOTE).toBe("approximate on-demand prices, us-east-1, 2025-11");
  });
});

describe("fit plans", () => {
  // 8e9 × 2 B = 14.90 GiB + 1 GiB KV at 8192 tokens = 15.90; 1 GPU: 17.90 per GPU.
  const llama8b = { parametersB: 8, layers: 32, kvHeads: 8, headDim: 128 };
  const request = {
    shape: llama8b,
    bytesPerParam: 2,
    maxModelLen: 8192,
    gpuCount: 1,
    workerCpu: "3",
    workerMemory: "12Gi",
  };

  it("hosts a worker on an instance only with the CPU and memory to spare", () => {
    // g6.xlarge: 4 vCPU − 0.5 = 3.5 cores; 16 GiB × 0.9 − 1 = 13.4 GiB.
    const at = (workerCpu: string, workerMemory: string) =>
      planFit({ ...request, families: ["g6"], workerCpu, workerMemory }).candidates.map((t) => t.name)[0];
    expect(at("3.5", "13.4Gi")).toBe("g6.xlarge");
    expect(at("3.6", "13.4Gi")).toBe("g6.2xlarge");
    expect(at("3.5", "13.5Gi")).toBe("g6.2xlarge");
  });

  it("puts a multi-GPU worker only on nodes with that many GPUs, the smallest of them", () => {
    const plan = planFit({ ...request, gpuCount: 4, families: ["g5"] });
    expect(plan.candidates.map((t) => t.name)).toEqual(["g5.12xlarge", "g5.24xlarge"]);
    expect(plan.cost).toEqual({ minUsd: 5.67, maxUsd: 8.14, note: PRICE_NOTE });
  });

  it("judges and prices only the pinned families", () => {
    const plan = planFit({ ...request, families: ["g6e"] });
    expect(plan.verdict).toBe("fits");
    expect(plan.families).toEqual([{ family: "g6e", card: "L40S", cardGiB: 48, fits: true, minGpus: 1 }]);
    expect(plan.suggestion).toBeUndefined();
    expect(plan.hostProblem).toBeUndefined();
    expect(plan.perGpuGiB).toBeCloseTo(16e9 / GIB + 1 + 2, 10);
  });

  it("calls a model that fits some families only partial, and says how to pin it", () => {
    // 16B: 29.80 GiB + 1.41 KV ≈ 31.2 GiB: over 21.6 on a 24 GiB card, under 43.2 on a 48 GiB one.
    const plan = planFit({ ...request, shape: { parametersB: 16 }, workerMemory: "24Gi", workerCpu: "4" });
    expect(plan.verdict).toBe("partial");
    expect(plan.families.map((f) => [f.family, f.fits, f.minGpus])).toEqual([
      ["g5", false, 2],
      ["g6", false, 2],
      ["g6e", true, 1],
    ]);
    expect(plan.candidates.every((t) => t.family === "g6e")).toBe(true);
    expect(plan.suggestion).toBe(
      "--gpus 2 (fits every family); or --gpus 1 --instance-family g6e (L40S 48 GB)",
    );
  });

  it("does not suggest the GPU count already chosen", () => {
    const plan = planFit({ ...request, shape: { parametersB: 16 }, gpuCount: 2, families: ["g5", "g6e"] });
    expect(plan.verdict).toBe("fits");
    const pinned = planFit({
      ...request,
      shape: { parametersB: 40 },
      gpuCount: 4,
      workerCpu: "8",
      workerMemory: "32Gi",
      families: ["g5", "g6e"],
    });
    // 40B: 74.5 GiB + 2.24 KV: 4 × A10G (21.2 each) fits; 2 × L40S (40.4 each) fits.
    expect(pinned.verdict).toBe("fits");
  });

  it("names the cards' usable memory in the need, and the split over several GPUs", () => {
    const plan = planFit({ ...request, families: ["g5", "g6e"] });
    expect(describeNeed(plan, 1, 8192)).toBe(
      "needs ~17.9 GiB per GPU (weights 14.9 GiB + KV cache 1.0 GiB for 8192 tokens + overhead); usable per card: A10G 21.6, L40S 43.2",
    );
    const two = planFit({ ...request, shape: { parametersB: 8 }, gpuCount: 2, families: ["g6"] });
    expect(describeNeed(two, 2, 8192)).toBe(
      "needs ~10.0 GiB per GPU (weights 14.9 GiB + KV cache ~1.0 GiB for 8192 tokens across 2 GPUs + overhead); usable per card: L4 21.6",
    );
  });

  it("has no estimate, family or suggestion when the size is unknown, but still prices the hosts", () => {
    const plan = planFit({ ...request, shape: undefined, families: ["g6"] });
    expect(plan).toMatchObject({
      verdict: "unknown",
      estimate: undefined,
      perGpuGiB: undefined,
      families: [],
      suggestion: undefined,
      hostProblem: undefined,
    });
    expect(plan.candidates.map((t) => t.name)).toEqual([
      "g6.xlarge",
      "g6.2xlarge",
      "g6.4xlarge",
      "g6.8xlarge",
      "g6.16xlarge",
    ]);
    expect(plan.cost).toEqual({ minUsd: 0.8, maxUsd: 3.4, note: PRICE_NOTE });
    expect(describeNeed(plan, 1, 8192)).toBe("memory need unknown (parameter count unknown)");
    // An estimate without a per-GPU figure says the same rather than printing "undefined".
    const withEstimate = planFit({ ...request, families: ["g6"] });
    expect(withEstimate.estimate).toBeDefined();
    expect(describeNeed({ ...withEstimate, perGpuGiB: undefined }, 1, 8192)).toBe(
      "memory need unknown (parameter count unknown)",
    );
  });

  it("suggests only the family that holds the model when the others do not even at 8 GPUs", () => {
    // 100B: 186.3 GiB of weights + ~3.5 GiB KV. 8 × L40S: 189.8 / 8 + 2 = 25.7 ≤ 43.2; on 24 GiB cards
    // 25.7 > 21.6 even at 8.
    const plan = planFit({
      ...request,
      shape: { parametersB: 100 },
      gpuCount: 4,
      workerCpu: "8",
      workerMemory: "64Gi",
    });
    expect(plan.verdict).toBe("no-fit");
    expect(plan.families.map((f) => [f.family, f.minGpus])).toEqual([
      ["g5", null],
      ["g6", null],
      ["g6e", 8],
    ]);
    expect(plan.suggestion).toBe("--gpus 8 --instance-family g6e (L40S 48 GB)");
  });

  it("calls the need unknown without an estimate, whatever else the plan says", () => {
    const plan = planFit({ ...request, shape: undefined });
    expect(describeNeed({ ...plan, perGpuGiB: 10 }, 1, 8192)).toBe(
      "memory need unknown (parameter count unknown)",
    );
  });

  it("says why no instance can host the worker", () => {
    const plan = planFit({ ...request, gpuCount: 8, workerCpu: "200", workerMemory: "64Gi" });
    expect(plan.hostProblem).toBe(
      "no instance of the gpu-inference NodePool has 8 GPU(s) with 200 CPU and 64Gi memory to spare (largest: 192 vCPU, 768-1536 GiB)",
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.cost).toBeUndefined();
  });
});
