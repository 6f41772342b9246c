/**
 * Does a model fit the GPUs the gpu-inference NodePool can launch, with the chosen GPU count, and
 * what will it cost per hour? The NodePool may pick any allowed family (Karpenter takes the
 * cheapest that satisfies the pod's requests), so a deploy is only safe when EVERY family's card
 * holds the model: "fits on g6e only" is refused like "fits nowhere", with the count that fits all
 * — unless the endpoint is pinned to the families that hold it (--instance-family, a node affinity
 * on karpenter.k8s.aws/instance-family), then only those are judged and priced.
 */
import { GPU_FAMILIES, type GpuFamily } from "../catalog/catalog.js";
import {
  estimateMemory,
  fitsCard,
  type MemoryEstimate,
  type ModelShape,
  needPerGpuGiB,
  usableGiB,
} from "./estimate.js";
import { GPU_CARDS, INSTANCE_TYPES, type InstanceType, PRICE_NOTE } from "./gpu-types.js";
import { parseCpu, parseMemoryGiB } from "./quantity.js";

export const GPU_COUNTS = [1, 2, 4, 8] as const;

export interface FitRequest {
  shape: ModelShape | undefined;
  bytesPerParam: number;
  maxModelLen: number;
  gpuCount: number;
  workerCpu: string;
  workerMemory: string;
  /** The families the endpoint is pinned to (--instance-family); undefined: every NodePool family. */
  families?: readonly GpuFamily[] | undefined;
}

export interface FamilyFit {
  family: GpuFamily;
  card: string;
  cardGiB: number;
  /** Whether the model fits this family's card with the chosen GPU count. */
  fits: boolean;
  /** Smallest GPU count (1/2/4/8) that fits this card; null when even 8 do not. */
  minGpus: number | null;
}

export interface CostRange {
  minUsd: number;
  maxUsd: number;
  note: string;
}

export interface FitPlan {
  verdict: "fits" | "partial" | "no-fit" | "unknown";
  estimate: MemoryEstimate | undefined;
  /** GiB per GPU with the chosen count (undefined without an estimate). */
  perGpuGiB: number | undefined;
  families: FamilyFit[];
  /** Instances that could host one worker (GPUs, CPU, memory; and the model fits their card). */
  candidates: InstanceType[];
  cost: CostRange | undefined;
  /** One sentence: what would work instead (GPU count or family); undefined when it fits. */
  suggestion: string | undefined;
  /** Why no instance can host the worker's CPU/memory request, if that is the problem. */
  hostProblem: string | undefined;
}

/** Allocatable share of an instance: kubelet/system reservations and daemonsets take some. */
function hostsWorker(type: InstanceType, gpus: number, cpu: number, memoryGiB: number): boolean {
  return type.gpus >= gpus && type.vcpu - 0.5 >= cpu && type.memoryGiB * 0.9 - 1 >= memoryGiB;
}

function minGpusFor(estimate: MemoryEstimate, cardGiB: number): number | null {
  return GPU_COUNTS.find((n) => fitsCard(estimate, n, cardGiB)) ?? null;
}

function costOf(types: readonly InstanceType[]): CostRange | undefined {
  if (types.length === 0) return undefined;
  const prices = types.map((t) => t.hourlyUsd);
  return { minUsd: Math.min(...prices), maxUsd: Math.max(...prices), note: PRICE_NOTE };
}

function suggest(families: readonly FamilyFit[]): string | undefined {
  const some = families.filter((f) => f.minGpus !== null);
  if (some.length === 0) {
    return "nothing: it does not fit even 8 GPUs of any family (pick a smaller or quantized model)";
  }
  const everywhere =
    some.length === families.length ? Math.max(...families.map((f) => f.minGpus as number)) : undefined;
  const parts: string[] = [];
  // Never the chosen count: at that count every family would fit, and nothing is suggested.
  if (everywhere !== undefined) parts.push(`--gpus ${everywhere} (fits every family)`);
  // Pinning the endpoint to the families that hold it (node affinity on instance-family).
  for (const f of some) {
    if (f.minGpus !== everywhere)
      parts.push(`--gpus ${f.minGpus} --instance-family ${f.family} (${f.card} ${f.cardGiB} GB)`);
  }
  return parts.join("; or ");
}

/** Karpenter packs a worker on the smallest node size that holds its GPUs: a 1-GPU worker gets a 1-GPU node. */
function smallestSizes(types: readonly InstanceType[]): InstanceType[] {
  const byFamily = new Map<string, number>();
  for (const t of types) byFamily.set(t.family, Math.min(byFamily.get(t.family) ?? Infinity, t.gpus));
  return types.filter((t) => t.gpus === byFamily.get(t.family));
}

export function planFit(request: FitRequest): FitPlan {
  const cpu = parseCpu(request.workerCpu);
  const memoryGiB = parseMemoryGiB(request.workerMemory);
  const allowed = request.families ?? GPU_FAMILIES;
  const hostable = smallestSizes(
    INSTANCE_TYPES.filter(
      (t) => allowed.includes(t.family as GpuFamily) && hostsWorker(t, request.gpuCount, cpu, memoryGiB),
    ),
  );
  const hostProblem =
    hostable.length === 0
      ? `no instance of the gpu-inference NodePool has ${request.gpuCount} GPU(s) with ${request.workerCpu} CPU and ${request.workerMemory} memory to spare (largest: 192 vCPU, 768-1536 GiB)`
      : undefined;

  if (request.shape === undefined) {
    return {
      verdict: "unknown",
      estimate: undefined,
      perGpuGiB: undefined,
      families: [],
      candidates: hostable,
      cost: costOf(hostable),
      suggestion: undefined,
      hostProblem,
    };
  }
  const estimate = estimateMemory(request.shape, request.maxModelLen, request.bytesPerParam);
  const families: FamilyFit[] = allowed.map((family) => {
    const card = GPU_CARDS[family];
    return {
      family,
      card: card.card,
      cardGiB: card.memoryGiB,
      fits: fitsCard(estimate, request.gpuCount, card.memoryGiB),
      minGpus: minGpusFor(estimate, card.memoryGiB),
    };
  });
  const fitting = new Set(families.filter((f) => f.fits).map((f) => f.family));
  const candidates = hostable.filter((t) => fitting.has(t.family));
  const verdict = fitting.size === families.length ? "fits" : fitting.size === 0 ? "no-fit" : "partial";
  return {
    verdict,
    estimate,
    perGpuGiB: needPerGpuGiB(estimate, request.gpuCount),
    families,
    candidates,
    cost: costOf(candidates),
    suggestion: verdict === "fits" ? undefined : suggest(families),
    hostProblem,
  };
}

/** "needs ~17.9 GiB per GPU (weights 14.9 + KV cache 1.0 for 8192 tokens + overhead); A10G offers 21.6" */
export function describeNeed(plan: FitPlan, gpuCount: number, maxModelLen: number): string {
  const e = plan.estimate;
  if (!e || plan.perGpuGiB === undefined) return "memory need unknown (parameter count unknown)";
  const kv = `${e.kvApproximate ? "~" : ""}${e.kvCacheGiB.toFixed(1)}`;
  const per = gpuCount > 1 ? ` across ${gpuCount} GPUs` : "";
  const usable = plan.families.map((f) => `${f.card} ${usableGiB(f.cardGiB).toFixed(1)}`).join(", ");
  return `needs ~${plan.perGpuGiB.toFixed(1)} GiB per GPU (weights ${e.weightsGiB.toFixed(1)} GiB + KV cache ${kv} GiB for ${maxModelLen} tokens${per} + overhead); usable per card: ${usable}`;
}
