import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readTfvars, tfvarsPath } from "../../adapters/tfvars.js";
import { parseCatalog } from "../../core/catalog/catalog.js";
import { type CheckResult, skip, warn } from "../../core/doctor/checks.js";
import { checkGpuQuota, GPU_QUOTAS, gpuQuotaNeed } from "../../core/doctor/gpu-quota.js";
import { withTimeout } from "../../core/timeout.js";
import type { CommandContext } from "../context.js";
import { DEFAULT_GPU_NODE_LIMIT } from "../gpu-node-limit.js";

const QUOTA_TIMEOUT_MS = 10_000;

/** The G/VT vCPU quotas against what the gpu-inference NodePool and the catalog need. */
export async function checkGpuQuotaFor(
  ctx: CommandContext,
  root: string | undefined,
  region: string | undefined,
): Promise<CheckResult> {
  if (root === undefined || region === undefined) {
    return skip("gpu-quota", "GPU quota", "needs the platform repository and a region");
  }
  const vars = await readTfvars(tfvarsPath(root, ctx.env)).catch(() => undefined);
  const clusterConfig = (vars?.cluster_config ?? {}) as Record<string, unknown>;
  const limit =
    typeof clusterConfig.gpu_node_limit === "number" ? clusterConfig.gpu_node_limit : DEFAULT_GPU_NODE_LIMIT;
  // Without a readable catalog, only the NodePool limit counts.
  const catalog = await readFile(join(root, "templates", "models.yaml"), "utf8")
    .then(parseCatalog)
    .catch(() => []);
  const need = gpuQuotaNeed(catalog, limit);
  try {
    const [onDemand, spot] = await Promise.all([
      readQuota(ctx, region, GPU_QUOTAS.onDemand.code),
      readQuota(ctx, region, GPU_QUOTAS.spot.code).catch(() => undefined),
    ]);
    return checkGpuQuota({ region, onDemand, spot, need });
  } catch (error) {
    return warn(
      "gpu-quota",
      "GPU quota",
      `cannot read ${GPU_QUOTAS.onDemand.code} (${GPU_QUOTAS.onDemand.name}) in ${region}: ${(error as Error).message}`,
      `Allow servicequotas:GetServiceQuota, or check the quota in the Service Quotas console (EC2 → "${GPU_QUOTAS.onDemand.name}"); at least ${need.recommended} vCPUs.`,
    );
  }
}

/** The account's applied value; the AWS default when none was ever applied (NoSuchResourceException). */
async function readQuota(ctx: CommandContext, region: string, code: string): Promise<number> {
  const sdk = await import("@aws-sdk/client-service-quotas");
  const client = await ctx.adapters.aws.serviceQuotas(region);
  const input = { ServiceCode: "ec2", QuotaCode: code };
  try {
    const { Quota } = await withTimeout(
      client.send(new sdk.GetServiceQuotaCommand(input)),
      QUOTA_TIMEOUT_MS,
      "Service Quotas",
    );
    if (typeof Quota?.Value === "number") return Quota.Value;
  } catch (error) {
    if ((error as Error).name !== "NoSuchResourceException") throw error;
  }
  const { Quota } = await withTimeout(
    client.send(new sdk.GetAWSDefaultServiceQuotaCommand(input)),
    QUOTA_TIMEOUT_MS,
    "Service Quotas",
  );
  if (typeof Quota?.Value !== "number") throw new Error(`Service Quotas returned no value for ${code}`);
  return Quota.Value;
}
