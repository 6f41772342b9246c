/**
 * GPU quota: EC2 counts G and VT instances (g5, g6, g6e) against one regional vCPU quota per
 * purchase option, and new accounts often have it at 0 — Karpenter then cannot launch any GPU node
 * and every endpoint stays Pending. The Service Quotas codes (service `ec2`):
 *   L-DB2E81BA  "Running On-Demand G and VT instances" (vCPUs)
 *   L-3819A6DF  "All G and VT Spot Instance Requests" (vCPUs)
 * (AWS Service Quotas console, EC2; the same codes Karpenter users file increases against.)
 */
import type { CatalogModel } from "../catalog/catalog.js";
import { GPU_FAMILIES } from "../catalog/catalog.js";
import { INSTANCE_TYPES } from "../fit/gpu-types.js";
import { type CheckResult, fail, ok, warn } from "./checks.js";

export const GPU_QUOTAS = {
  onDemand: { code: "L-DB2E81BA", name: "Running On-Demand G and VT instances" },
  spot: { code: "L-3819A6DF", name: "All G and VT Spot Instance Requests" },
} as const;

/** What a quota must hold, in vCPUs (the unit of both quotas). */
export interface GpuQuotaNeed {
  /** The smallest GPU node the pool may launch (g5.xlarge/g6.xlarge/g6e.xlarge: 4 vCPUs). */
  smallestNode: { instanceType: string; vcpu: number };
  /** The largest node a catalog model needs, on its cheapest fitting family. */
  largestModel: { model: string; gpus: number; instanceType: string; vcpu: number } | undefined;
  /** The NodePool's nvidia.com/gpu limit on 1-GPU nodes (the fewest vCPUs per GPU). */
  poolLimit: { gpus: number; vcpu: number };
  /** What doctor asks you to request: enough for the largest model and the pool limit. */
  recommended: number;
}

/** The instance type with the fewest vCPUs holding `gpus` GPUs in `family` (or any family). */
function smallestFor(gpus: number, family?: string) {
  return INSTANCE_TYPES.filter((t) => t.gpus >= gpus && (family === undefined || t.family === family)).sort(
    (a, b) => a.vcpu - b.vcpu || a.hourlyUsd - b.hourlyUsd,
  )[0];
}

export function gpuQuotaNeed(catalog: readonly CatalogModel[], gpuNodeLimit: number): GpuQuotaNeed {
  const smallest = smallestFor(1);
  // Stryker disable next-line ConditionalExpression,StringLiteral: INSTANCE_TYPES is a constant table with 1-GPU types, so smallestFor(1) is never undefined; the guard is for the type checker
  if (!smallest) throw new Error("no GPU instance types are known");
  let largest: GpuQuotaNeed["largestModel"];
  for (const model of catalog) {
    // A model runs on whichever family fits it with the fewest vCPUs.
    let best: { gpus: number; instanceType: string; vcpu: number } | undefined;
    for (const family of GPU_FAMILIES) {
      const gpus = model.gpus[family];
      if (gpus === null) continue;
      const type = smallestFor(gpus, family);
      if (type && (!best || type.vcpu < best.vcpu)) best = { gpus, instanceType: type.name, vcpu: type.vcpu };
    }
    if (best && (!largest || best.vcpu > largest.vcpu)) largest = { model: model.name, ...best };
  }
  const poolVcpu = gpuNodeLimit * smallest.vcpu;
  return {
    smallestNode: { instanceType: smallest.name, vcpu: smallest.vcpu },
    largestModel: largest,
    poolLimit: { gpus: gpuNodeLimit, vcpu: poolVcpu },
    recommended: Math.max(largest?.vcpu ?? 0, poolVcpu, smallest.vcpu),
  };
}

/** The exact request to file (AWS CLI; the Service Quotas console takes the same code and value). */
export function quotaIncreaseCommand(code: string, value: number, region: string): string {
  return `aws service-quotas request-service-quota-increase --service-code ec2 --quota-code ${code} --desired-value ${value} --region ${region}`;
}

export interface GpuQuotaInput {
  region: string;
  /** vCPUs, from GetServiceQuota (or the AWS default when the account has no applied value). */
  onDemand: number;
  /** Only reported: the gpu-inference NodePool launches on-demand capacity. */
  spot: number | undefined;
  need: GpuQuotaNeed;
}

export function checkGpuQuota(input: GpuQuotaInput): CheckResult {
  const { need, region } = input;
  const title = "GPU quota";
  const have = Math.floor(input.onDemand);
  const spot =
    input.spot === undefined
      ? ""
      : `; spot ${Math.floor(input.spot)} vCPUs (not used: the pool is on-demand)`;
  const detail = `${GPU_QUOTAS.onDemand.name} (${GPU_QUOTAS.onDemand.code}) in ${region}: ${have} vCPUs${spot}`;
  const fix = `${quotaIncreaseCommand(GPU_QUOTAS.onDemand.code, need.recommended, region)} (or Service Quotas console → EC2 → "${GPU_QUOTAS.onDemand.name}" → ${need.recommended})`;
  const largest = need.largestModel;
  const wants = [
    largest
      ? `${largest.model} needs ${largest.vcpu} (${largest.gpus} GPUs on ${largest.instanceType})`
      : undefined,
    `the NodePool limit of ${need.poolLimit.gpus} GPUs needs ${need.poolLimit.vcpu}`,
  ]
    .filter(Boolean)
    .join(", ");
  if (have < need.smallestNode.vcpu) {
    return fail(
      "gpu-quota",
      title,
      `${detail}: not even one GPU node (${need.smallestNode.instanceType}, ${need.smallestNode.vcpu} vCPUs) can start, so every endpoint would stay Pending; ${wants}`,
      fix,
    );
  }
  if (have < need.recommended) {
    return warn("gpu-quota", title, `${detail}: small endpoints fit, but ${wants}`, fix);
  }
  return ok("gpu-quota", title, `${detail}: enough (${wants})`);
}
