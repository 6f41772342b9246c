/**
 * The Cluster section from EKS: DescribeCluster (version, status), ListCapabilities (ArgoCD, KRO,
 * ACK and their status) and, for the ArgoCD capability, DescribeCapability's
 * configuration.argoCd.serverUrl (AWS EKS API reference, "Capabilities"). Three calls whatever the
 * size of the cluster. The SDK honours AWS_ENDPOINT_URL, which is how the simulator answers.
 */
import { wrapCredentialError } from "../../adapters/aws/identity.js";
import { PrerequisiteError } from "../../core/errors.js";
import type { CapabilityRow, ClusterSection, Section } from "../../core/status/types.js";
import { aiplatCommand } from "../carry-flags.js";
import type { CommandContext } from "../context.js";
import { clusterCachePath, readClusterCache } from "../up/cluster-cache.js";
import { reasonOf } from "./read-infrastructure.js";

export async function readCluster(ctx: CommandContext): Promise<Section<ClusterSection>> {
  let cached: Awaited<ReturnType<typeof readClusterCache>>;
  try {
    cached = await readClusterCache(clusterCachePath(ctx.state().path, ctx.env));
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  if (!cached) {
    return {
      ok: false,
      reason: `cluster not up yet: no cluster outputs for environment ${ctx.env} (run \`${aiplatCommand(ctx.globals, "up")}\`).`,
    };
  }
  try {
    const { DescribeCapabilityCommand, DescribeClusterCommand, ListCapabilitiesCommand } = await import(
      "@aws-sdk/client-eks"
    );
    const eks = await ctx.adapters.aws.eks(cached.region);
    const clusterName = cached.cluster_name;
    const [described, listed] = await Promise.all([
      eks.send(new DescribeClusterCommand({ name: clusterName }), { abortSignal: ctx.signal }),
      eks.send(new ListCapabilitiesCommand({ clusterName }), { abortSignal: ctx.signal }),
    ]);
    const capabilities: CapabilityRow[] = (listed.capabilities ?? []).map((c) => ({
      name: c.capabilityName ?? "?",
      type: c.type ?? "?",
      status: c.status ?? "?",
    }));
    const argocd = capabilities.find((c) => c.type === "ARGOCD");
    let argocdUrl: string | undefined;
    if (argocd) {
      const out = await eks.send(
        new DescribeCapabilityCommand({ clusterName, capabilityName: argocd.name }),
        {
          abortSignal: ctx.signal,
        },
      );
      argocdUrl = out.capability?.configuration?.argoCd?.serverUrl;
    }
    return {
      ok: true,
      name: clusterName,
      region: cached.region,
      version: described.cluster?.version,
      status: described.cluster?.status,
      capabilities: capabilities.sort((a, b) => a.type.localeCompare(b.type)),
      argocdUrl,
    };
  } catch (error) {
    const wrapped = wrapCredentialError(error);
    const reason =
      wrapped instanceof PrerequisiteError
        ? `no AWS credentials: ${(error as Error).message} (log in, e.g. \`aws sso login\`).`
        : `EKS did not answer: ${(error as Error).message}`;
    return { ok: false, reason };
  }
}
