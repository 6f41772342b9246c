import { describe, expect, it } from "vitest";
import type { CatalogModel } from "../../src/core/catalog/catalog.js";
import {
  checkGpuQuota,
  GPU_QUOTAS,
  type GpuQuotaNeed,
  gpuQuotaNeed,
  quotaIncreaseCommand,
} from "../../src/core/doctor/gpu-quota.js";

const model = (name: string, gpus: CatalogModel["gpus"]): CatalogModel => ({
  name,
  model: `org/${name}`,
  description: name,
  parametersB: 1,
  defaultMaxModelLen: 4096,
  contextLimit: 8192,
  gated: false,
  gpus,
  layers: 32,
  kvHeads: 8,
  headDim: 128,
});

describe("doctor: what the GPU quota must hold", () => {
  it("names the two Service Quotas codes EC2 counts G and VT instances against", () => {
    expect(GPU_QUOTAS).toEqual({
      onDemand: { code: "L-DB2E81BA", name: "Running On-Demand G and VT instances" },
      spot: { code: "L-3819A6DF", name: "All G and VT Spot Instance Requests" },
    });
  });

  it("takes the cheapest 4-vCPU one-GPU node as the smallest, and the pool limit on such nodes", () => {
    expect(gpuQuotaNeed([], 8)).toEqual({
      smallestNode: { instanceType: "g6.xlarge", vcpu: 4 },
      largestModel: undefined,
      poolLimit: { gpus: 8, vcpu: 32 },
      recommended: 32,
    });
    // even a pool limit of 0 asks for room for one node
    expect(gpuQuotaNeed([], 0).recommended).toBe(4);
  });

  it("sizes each model on the family that fits it with the fewest vCPUs, and keeps the largest", () => {
    const need = gpuQuotaNeed(
      [
        model("small", { g5: 1, g6: 1, g6e: 1 }),
        model("big", { g5: 8, g6: 8, g6e: 4 }),
        model("mid", { g5: 4, g6: 4, g6e: 1 }),
        model("g6e-only", { g5: null, g6: null, g6e: 2 }),
        model("too-big", { g5: null, g6: null, g6e: null }),
      ],
      4,
    );
    // big: g5.48xlarge and g6.48xlarge have 192 vCPUs, g6e.12xlarge (4 GPUs) 48
    expect(need.largestModel).toEqual({ model: "big", gpus: 4, instanceType: "g6e.12xlarge", vcpu: 48 });
    expect(need.poolLimit).toEqual({ gpus: 4, vcpu: 16 });
    expect(need.recommended).toBe(48);
  });

  it("picks the smallest type with enough GPUs of the family, not merely the first listed", () => {
    // g6e with 2 GPUs: the 4-GPU g6e.12xlarge (48 vCPUs), not the 1-GPU ones listed before it
    expect(gpuQuotaNeed([model("two", { g5: null, g6: null, g6e: 2 })], 1).largestModel).toEqual({
      model: "two",
      gpus: 2,
      instanceType: "g6e.12xlarge",
      vcpu: 48,
    });
    // 8 GPUs on g5 only: g5.48xlarge
    expect(gpuQuotaNeed([model("eight", { g5: 8, g6: null, g6e: null })], 1).largestModel).toEqual({
      model: "eight",
      gpus: 8,
      instanceType: "g5.48xlarge",
      vcpu: 192,
    });
  });

  it("on a tie in vCPUs names the first family (g5, g6, g6e) and the first model of that size", () => {
    const need = gpuQuotaNeed(
      [model("first", { g5: 1, g6: 1, g6e: 1 }), model("second", { g5: null, g6: 1, g6e: 1 })],
      1,
    );
    expect(need.largestModel).toEqual({ model: "first", gpus: 1, instanceType: "g5.xlarge", vcpu: 4 });
    expect(need.recommended).toBe(4);
  });

  it("recommends the pool limit when it needs more than the largest model", () => {
    const need = gpuQuotaNeed([model("mid", { g5: 4, g6: 4, g6e: 4 })], 16);
    expect(need.largestModel?.vcpu).toBe(48);
    expect(need.poolLimit.vcpu).toBe(64);
    expect(need.recommended).toBe(64);
  });
});

describe("doctor: the GPU quota check", () => {
  const need: GpuQuotaNeed = {
    smallestNode: { instanceType: "g6.xlarge", vcpu: 4 },
    largestModel: { model: "llama-70b", gpus: 4, instanceType: "g6e.12xlarge", vcpu: 48 },
    poolLimit: { gpus: 8, vcpu: 32 },
    recommended: 48,
  };
  const quota = "Running On-Demand G and VT instances (L-DB2E81BA) in eu-central-1";
  const wants = "llama-70b needs 48 (4 GPUs on g6e.12xlarge), the NodePool limit of 8 GPUs needs 32";
  const fix =
    "aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-DB2E81BA --desired-value 48 --region eu-central-1" +
    ' (or Service Quotas console → EC2 → "Running On-Demand G and VT instances" → 48)';

  it("writes the exact AWS CLI request", () => {
    expect(quotaIncreaseCommand("L-3819A6DF", 96, "us-east-1")).toBe(
      "aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-3819A6DF --desired-value 96 --region us-east-1",
    );
  });

  it("fails when not even the smallest GPU node fits, with the request to file", () => {
    expect(checkGpuQuota({ region: "eu-central-1", onDemand: 3.9, spot: 8, need })).toEqual({
      id: "gpu-quota",
      title: "GPU quota",
      status: "fail",
      detail: `${quota}: 3 vCPUs; spot 8 vCPUs (not used: the pool is on-demand): not even one GPU node (g6.xlarge, 4 vCPUs) can start, so every endpoint would stay Pending; ${wants}`,
      fix,
    });
  });

  it("warns from one node up to just below the recommendation", () => {
    const warning = (have: number) => ({
      id: "gpu-quota",
      title: "GPU quota",
      status: "warn",
      detail: `${quota}: ${have} vCPUs: small endpoints fit, but ${wants}`,
      fix,
    });
    expect(checkGpuQuota({ region: "eu-central-1", onDemand: 4, spot: undefined, need })).toEqual(warning(4));
    expect(checkGpuQuota({ region: "eu-central-1", onDemand: 47, spot: undefined, need })).toEqual(
      warning(47),
    );
  });

  it("is satisfied from the recommendation up, rounding a fractional quota down", () => {
    expect(checkGpuQuota({ region: "eu-central-1", onDemand: 48, spot: 0.5, need })).toEqual({
      id: "gpu-quota",
      title: "GPU quota",
      status: "ok",
      detail: `${quota}: 48 vCPUs; spot 0 vCPUs (not used: the pool is on-demand): enough (${wants})`,
    });
    expect(checkGpuQuota({ region: "eu-central-1", onDemand: 48.9, spot: undefined, need }).detail).toBe(
      `${quota}: 48 vCPUs: enough (${wants})`,
    );
  });

  it("leaves the model out of what it needs when no catalog model fits any node", () => {
    const poolOnly = { ...need, largestModel: undefined, recommended: 32 };
    expect(checkGpuQuota({ region: "us-west-2", onDemand: 32, spot: undefined, need: poolOnly }).detail).toBe(
      "Running On-Demand G and VT instances (L-DB2E81BA) in us-west-2: 32 vCPUs: enough (the NodePool limit of 8 GPUs needs 32)",
    );
  });
});
