/**
 * What an endpoint can grow to: Ray Serve autoscales between minReplicas and maxReplicas GPU
 * workers (one replica per worker), and each RayService also runs one Ray head on a CPU node.
 * The maximum is what the gpu-inference NodePool's GPU limit must hold and what the bill can
 * reach, so deploy-model shows it before committing.
 */
import type { EndpointSpec } from "../endpoint/endpoint-spec.js";
import type { FitPlan } from "./plan-fit.js";

/** Above this many GPUs at the maximum (more than one 8-GPU node), a terminal asks first. */
export const CONFIRM_ABOVE_GPUS = 8;

export interface ScaleRange {
  gpusPerWorker: number;
  workers: { min: number; max: number };
  gpus: { min: number; max: number };
  /** Pods of the Ray cluster: the head plus the workers. */
  pods: { min: number; max: number };
  /** At the cheapest instance type that hosts a worker (Karpenter's usual pick). */
  hourlyUsd: { min: number; max: number } | undefined;
}

export function scaleRange(spec: EndpointSpec, fit: FitPlan): ScaleRange {
  const per = fit.cost?.minUsd;
  return {
    gpusPerWorker: spec.gpuCount,
    workers: { min: spec.minReplicas, max: spec.maxReplicas },
    gpus: { min: spec.gpuCount * spec.minReplicas, max: spec.gpuCount * spec.maxReplicas },
    pods: { min: spec.minReplicas + 1, max: spec.maxReplicas + 1 },
    hourlyUsd: per === undefined ? undefined : { min: per * spec.minReplicas, max: per * spec.maxReplicas },
  };
}

function span(r: { min: number; max: number }, format: (n: number) => string = String): string {
  return r.min === r.max ? format(r.min) : `${format(r.min)}-${format(r.max)}`;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** "Range: 1-4 GPU workers × 8 GPUs = 8-32 GPUs, plus the Ray head on a CPU node (2-5 pods); $13.35-$53.40/h …" */
export function formatScaleRange(range: ScaleRange): string {
  const cost = range.hourlyUsd
    ? `; ${span(range.hourlyUsd, usd)}/h for the GPU workers at the cheapest instance type`
    : "";
  return `Range: ${span(range.workers)} GPU worker(s) × ${range.gpusPerWorker} GPU(s) = ${span(range.gpus)} GPUs, plus the Ray head on a CPU node (${span(range.pods)} pods)${cost}.`;
}

/**
 * A default maximum (not given, not declared) that the NodePool's GPU limit could never reach is
 * lowered to the most replicas the limit holds, as a default GPU count is raised to one that fits;
 * undefined when it already fits or even the minimum does not (then the limit check refuses).
 */
export function maxReplicasWithin(spec: EndpointSpec, gpuLimit: number): number | undefined {
  if (spec.gpuCount * spec.maxReplicas <= gpuLimit) return undefined;
  const within = Math.floor(gpuLimit / spec.gpuCount);
  return within >= spec.minReplicas ? within : undefined;
}
