/**
 * How deploy-model tells the user whether the model fits and what it will cost, and the error that
 * refuses a misfit (exit 2 — the values are the problem — with the values that would work).
 */
import type { EndpointSpec } from "../../core/endpoint/endpoint-spec.js";
import type { PlannedEndpoint } from "../../core/endpoint/resolve-spec.js";
import { UsageError } from "../../core/errors.js";
import { describeNeed } from "../../core/fit/plan-fit.js";
import type { ScaleRange } from "../../core/fit/scale-range.js";
import type { GpuNodeLimit } from "../gpu-node-limit.js";

function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

export function fitLines(planned: PlannedEndpoint): string[] {
  const { fit, spec } = planned;
  const lines: string[] = [];
  if (planned.raisedGpus) {
    lines.push(
      `GPUs per worker raised from ${planned.raisedGpus.from} to ${planned.raisedGpus.to} so the model fits every GPU family (pass --gpus to choose).`,
    );
  }
  lines.push(`Fit: ${describeNeed(fit, spec.gpuCount, spec.maxModelLen)}.`);
  if (fit.verdict === "unknown") {
    lines.push(
      "Fit: the parameter count is unknown (not in the catalog, none in the model id): not checked.",
    );
  } else if (fit.families.length > 0) {
    lines.push(
      `Fit: with --gpus ${spec.gpuCount}: ${fit.families.map((f) => `${f.family} (${f.card}) ${f.fits ? "fits" : "too small"}`).join(", ")}.`,
    );
  }
  if (fit.cost && fit.candidates.length > 0) {
    const cheapest = [...fit.candidates].sort((a, b) => a.hourlyUsd - b.hourlyUsd)[0];
    const replicas =
      spec.minReplicas === spec.maxReplicas
        ? `${spec.minReplicas}`
        : `${spec.minReplicas}-${spec.maxReplicas}`;
    lines.push(
      `Cost: ${usd(fit.cost.minUsd)}-${usd(fit.cost.maxUsd)} per worker-hour over ${fit.candidates.length} instance types (Karpenter usually picks the cheapest, ${cheapest?.name}); ${replicas} worker(s): from ${usd(fit.cost.minUsd * spec.minReplicas)}/h (${fit.cost.note}).`,
    );
  }
  return lines;
}

/** Throws when the model cannot run as asked; --force turns the refusal into a warning. */
export function checkFit(planned: PlannedEndpoint, force: boolean, warn: (m: string) => void): void {
  const { fit, spec } = planned;
  const problems: string[] = [];
  if (fit.hostProblem) problems.push(fit.hostProblem);
  if (fit.verdict === "no-fit" || fit.verdict === "partial") {
    const where =
      fit.verdict === "partial"
        ? `fits only ${fit.families
            .filter((f) => f.fits)
            .map((f) => f.family)
            .join(
              "/",
            )}, but the gpu-inference NodePool may launch any of ${fit.families.map((f) => f.family).join("/")}`
        : "does not fit any GPU family";
    problems.push(
      `${spec.model} with --gpus ${spec.gpuCount} and --max-model-len ${spec.maxModelLen} ${where}`,
    );
  }
  if (problems.length === 0) return;
  const suggestion = fit.suggestion ? ` What would work: ${fit.suggestion}.` : "";
  if (force) {
    warn(`--force: deploying although ${problems.join("; ")}.${suggestion}`);
    return;
  }
  throw new UsageError(`${problems.join("; ")}.${suggestion}`, {
    code: "does-not-fit",
    hint: "Change the values as suggested, or pass --force to deploy anyway (the worker may fail to load the model).",
    details: { verdict: fit.verdict, suggestion: fit.suggestion },
  });
}

export function fitJson(planned: PlannedEndpoint, spec: EndpointSpec): Record<string, unknown> {
  const { fit } = planned;
  return {
    verdict: fit.verdict,
    gpus: spec.gpuCount,
    perGpuGiB: fit.perGpuGiB === undefined ? undefined : Number(fit.perGpuGiB.toFixed(2)),
    weightsGiB: fit.estimate ? Number(fit.estimate.weightsGiB.toFixed(2)) : undefined,
    kvCacheGiB: fit.estimate ? Number(fit.estimate.kvCacheGiB.toFixed(2)) : undefined,
    families: fit.families,
    instanceTypes: fit.candidates.map((c) => c.name),
    hourlyUsd: fit.cost ? { min: fit.cost.minUsd, max: fit.cost.maxUsd, note: fit.cost.note } : undefined,
    suggestion: fit.suggestion,
    raisedGpus: planned.raisedGpus,
  };
}

/**
 * An endpoint whose maximum needs more GPUs than the NodePool may run can never reach it:
 * Karpenter stops launching at the limit, and the replicas beyond it stay Pending. Refused unless
 * --force (then a warning).
 */
export function checkGpuLimit(
  range: ScaleRange,
  limit: GpuNodeLimit,
  force: boolean,
  warn: (m: string) => void,
  /** `aiplat up` with the user's flags, for the hint. */
  upCommand: string,
): void {
  if (range.gpus.max <= limit.limit) return;
  const fitting = Math.floor(limit.limit / range.gpusPerWorker);
  const problem = `at its maximum of ${range.workers.max} replica(s) × ${range.gpusPerWorker} GPU(s) this endpoint needs ${range.gpus.max} GPUs, more than the gpu-inference NodePool may run (${limit.limit}, ${limit.source})`;
  const instead =
    fitting >= range.workers.min
      ? `--max-replicas ${fitting}`
      : `a larger gpu_node_limit (at least ${range.gpus.min} for the minimum)`;
  if (force) {
    warn(`--force: deploying although ${problem}; replicas beyond the limit stay Pending.`);
    return;
  }
  throw new UsageError(`${problem[0]?.toUpperCase()}${problem.slice(1)}.`, {
    code: "over-gpu-limit",
    hint: `Use ${instead}, raise cluster_config.gpu_node_limit and run \`${upCommand}\`, or pass --force to deploy anyway.`,
    details: { maxGpus: range.gpus.max, gpuNodeLimit: limit.limit },
  });
}
