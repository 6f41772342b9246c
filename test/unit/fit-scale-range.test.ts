import { describe, expect, it } from "vitest";
import type { EndpointSpec } from "../../src/core/endpoint/endpoint-spec.js";
import type { FitPlan } from "../../src/core/fit/plan-fit.js";
import {
  CONFIRM_ABOVE_GPUS,
  formatScaleRange,
  maxReplicasWithin,
  scaleRange,
} from "../../src/core/fit/scale-range.js";

function spec(gpuCount: number, minReplicas: number, maxReplicas: number): EndpointSpec {
  return {
    name: "llama",
    namespace: "inference",
    model: "meta-llama/Llama-3.3-70B-Instruct",
    gpuCount,
    minReplicas,
    maxReplicas,
    workerMemory: "96Gi",
    workerCpu: "16",
    maxModelLen: 8192,
  };
}

function fitPlan(minUsd: number | undefined): FitPlan {
  return {
    verdict: minUsd === undefined ? "unknown" : "fits",
    estimate: undefined,
    perGpuGiB: undefined,
    families: [],
    candidates: [],
    cost: minUsd === undefined ? undefined : { minUsd, maxUsd: minUsd * 3, note: "approximate" },
    suggestion: undefined,
    hostProblem: undefined,
  };
}

describe("what an endpoint can grow to", () => {
  it("counts GPUs per worker, the Ray head in the pods and the bill at the cheapest instance", () => {
    expect(scaleRange(spec(8, 1, 4), fitPlan(13.35))).toEqual({
      gpusPerWorker: 8,
      workers: { min: 1, max: 4 },
      gpus: { min: 8, max: 32 },
      pods: { min: 2, max: 5 },
      hourlyUsd: { min: 13.35, max: 53.4 },
    });
  });

  it("multiplies the price by the replica counts", () => {
    expect(scaleRange(spec(1, 2, 5), fitPlan(0.8))?.hourlyUsd).toEqual({ min: 1.6, max: 4 });
  });

  it("has no price when the fit check found no instance", () => {
    expect(scaleRange(spec(1, 0, 2), fitPlan(undefined))).toEqual({
      gpusPerWorker: 1,
      workers: { min: 0, max: 2 },
      gpus: { min: 0, max: 2 },
      pods: { min: 1, max: 3 },
      hourlyUsd: undefined,
    });
  });

  it("says it in one line, ranges as min-max", () => {
    expect(formatScaleRange(scaleRange(spec(8, 1, 4), fitPlan(13.35)))).toBe(
      "Range: 1-4 GPU worker(s) × 8 GPU(s) = 8-32 GPUs, plus the Ray head on a CPU node (2-5 pods); $13.35-$53.40/h for the GPU workers at the cheapest instance type.",
    );
  });

  it("writes a fixed size once, and leaves the price out when unknown", () => {
    expect(formatScaleRange(scaleRange(spec(1, 2, 2), fitPlan(undefined)))).toBe(
      "Range: 2 GPU worker(s) × 1 GPU(s) = 2 GPUs, plus the Ray head on a CPU node (3 pods).",
    );
    expect(formatScaleRange(scaleRange(spec(1, 1, 1), fitPlan(0.8)))).toBe(
      "Range: 1 GPU worker(s) × 1 GPU(s) = 1 GPUs, plus the Ray head on a CPU node (2 pods); $0.80/h for the GPU workers at the cheapest instance type.",
    );
  });

  it("asks first above one 8-GPU node", () => {
    expect(CONFIRM_ABOVE_GPUS).toBe(8);
  });
});

describe("a default maximum the GPU limit cannot hold", () => {
  it("is left alone when the maximum fits the limit exactly", () => {
    expect(maxReplicasWithin(spec(4, 1, 4), 16)).toBeUndefined();
    expect(maxReplicasWithin(spec(4, 1, 4), 17)).toBeUndefined();
  });

  it("is lowered to the most replicas the limit holds", () => {
    expect(maxReplicasWithin(spec(4, 1, 4), 15)).toBe(3);
    expect(maxReplicasWithin(spec(8, 1, 4), 16)).toBe(2);
    // The new maximum may equal the minimum…
    expect(maxReplicasWithin(spec(4, 3, 4), 12)).toBe(3);
  });

  it("is left to the limit check when even the minimum does not fit", () => {
    expect(maxReplicasWithin(spec(4, 3, 4), 11)).toBeUndefined();
  });
});
