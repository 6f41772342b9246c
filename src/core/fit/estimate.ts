/**
 * GPU memory a vLLM worker needs for one model, per GPU, and whether that fits a card.
 *
 * need per GPU = (weights + KV cache for one full max_model_len sequence) / GPUs + overhead
 * usable per GPU = card memory × gpu_memory_utilization (0.9, as the RGD sets it)
 *
 * - weights: parameters × bytes per parameter (bf16 = 2; models published quantized are known by
 *   their id, see bytesPerParameter);
 * - KV cache: 2 (K and V) × layers × KV heads × head dim × 2 bytes (bf16) × max_model_len — vLLM
 *   refuses to start when not even one sequence of max_model_len fits;
 * - overhead: CUDA context, activations and CUDA graphs, about 2 GiB per GPU.
 * An estimate, not a measurement: it errs on the side of more memory.
 */
import type { CatalogModel } from "../catalog/catalog.js";

export const GIB = 1024 ** 3;
export const GPU_MEMORY_UTILIZATION = 0.9;
export const OVERHEAD_GIB_PER_GPU = 2;

export interface ModelShape {
  /** Parameters in billions. */
  parametersB: number;
  layers?: number | undefined;
  kvHeads?: number | undefined;
  headDim?: number | undefined;
}

export interface MemoryEstimate {
  weightsGiB: number;
  kvCacheGiB: number;
  /** True when the architecture was not known and the KV cache was extrapolated. */
  kvApproximate: boolean;
  totalGiB: number;
}

/**
 * Bytes per parameter from the model id: bf16 unless the published weights are quantized.
 * gpt-oss ships MXFP4 experts (about 13 GB for 21B and 65 GB for 117B parameters: ~0.6 B/param).
 */
export function bytesPerParameter(modelId: string): number {
  const id = modelId.toLowerCase();
  if (id.startsWith("openai/gpt-oss-")) return 0.6;
  if (/(^|[-_/.])(awq|gptq|int4|w4a16|4bit|bnb-4bit)($|[-_/.])/.test(id)) return 0.55;
  if (/(^|[-_/.])(fp8|int8|w8a8|w8a16|8bit)($|[-_/.])/.test(id)) return 1;
  return 2;
}

/** The parameter count written in a model id ("Qwen2.5-7B-Instruct" → 7, "Llama-3.2-1B" → 1). */
export function parametersFromModelId(modelId: string): number | undefined {
  const name = modelId.slice(modelId.indexOf("/") + 1);
  const matches = [...name.matchAll(/(?:^|[-_.])(\d+(?:\.\d+)?)[bB](?=$|[-_.])/g)];
  const last = matches[matches.length - 1];
  if (!last?.[1]) return undefined;
  const value = Number(last[1]);
  return value > 0 ? value : undefined;
}

/** KV bytes per token, bf16. Without the architecture: Llama-3-8B's 128 KiB scaled by √(size/8B). */
function kvBytesPerToken(shape: ModelShape): { bytes: number; approximate: boolean } {
  if (shape.layers && shape.kvHeads && shape.headDim) {
    return { bytes: 2 * shape.layers * shape.kvHeads * shape.headDim * 2, approximate: false };
  }
  return { bytes: 128 * 1024 * Math.sqrt(Math.max(1, shape.parametersB / 8)), approximate: true };
}

export function estimateMemory(shape: ModelShape, maxModelLen: number, bytesPerParam = 2): MemoryEstimate {
  const weightsGiB = (shape.parametersB * 1e9 * bytesPerParam) / GIB;
  const kv = kvBytesPerToken(shape);
  const kvCacheGiB = (kv.bytes * maxModelLen) / GIB;
  return { weightsGiB, kvCacheGiB, kvApproximate: kv.approximate, totalGiB: weightsGiB + kvCacheGiB };
}

/** GiB each GPU must hold when the model is split over `gpus` cards (tensor parallelism). */
export function needPerGpuGiB(estimate: MemoryEstimate, gpus: number): number {
  return estimate.totalGiB / gpus + OVERHEAD_GIB_PER_GPU;
}

export function usableGiB(cardMemoryGiB: number): number {
  return cardMemoryGiB * GPU_MEMORY_UTILIZATION;
}

export function fitsCard(estimate: MemoryEstimate, gpus: number, cardMemoryGiB: number): boolean {
  return needPerGpuGiB(estimate, gpus) <= usableGiB(cardMemoryGiB);
}

export function shapeOfCatalogModel(model: CatalogModel): ModelShape {
  return {
    parametersB: model.parametersB,
    layers: model.layers,
    kvHeads: model.kvHeads,
    headDim: model.headDim,
  };
}
