import type { CommandContext } from "../context.js";
import { clusterCachePath, readClusterCache } from "../up/cluster-cache.js";

/**
 * The managed ArgoCD UI URL, from EKS DescribeCapability (configuration.argoCd.serverUrl), when the
 * environment's cluster outputs name the capability. Best effort: without it bootstrap still works.
 */
export async function findArgoCdUrl(ctx: CommandContext): Promise<string | undefined> {
  const cached = await readClusterCache(clusterCachePath(ctx.state().path, ctx.env));
  if (!cached?.argocd_capability_name) return undefined;
  try {
    const { DescribeCapabilityCommand } = await import("@aws-sdk/client-eks");
    const eks = await ctx.adapters.aws.eks(cached.region);
    const out = await eks.send(
      new DescribeCapabilityCommand({
        clusterName: cached.cluster_name,
        capabilityName: cached.argocd_capability_name,
      }),
    );
    return out.capability?.configuration?.argoCd?.serverUrl;
  } catch (error) {
    ctx.io.debug(`DescribeCapability failed: ${(error as Error).message}`);
    return undefined;
  }
}
