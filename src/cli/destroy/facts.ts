/**
 * Reads reality for the teardown plan — the cluster (if it answers), the Terraform stages and how
 * many resources their state still holds, the state bucket, and the AWS account — without writing
 * anything anywhere (the same reads serve `--dry-run`).
 */
import { join } from "node:path";
import { type CloudScan, type CloudScanTarget, scanCloud } from "../../adapters/aws/cloud-inventory.js";
import type { KubeObject } from "../../adapters/kube/objects.js";
import { toLeftover } from "../../core/destroy/leftovers.js";
import type { ClusterFacts, DestroyFacts, StageFacts, UnreachableCluster } from "../../core/destroy/plan.js";
import { isAiplatError } from "../../core/errors.js";
import { type Cluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { type AwsBackend, prepareAwsBackend } from "../up/aws-backend.js";
import { clusterCachePath, readClusterCache } from "../up/cluster-cache.js";
import { countStateResources } from "../up/leftover-state.js";
import { type EnvironmentStages, loadEnvironmentStages, tfvarsRegion } from "../up/stage-files.js";
import { APPLICATION, ENDPOINT, INGRESS, NODE_CLAIM, NODE_POOL, PVC, ref, SERVICE } from "./kinds.js";
import { otherEnvironmentsInBucket } from "./shared-backend.js";

export interface GatheredFacts {
  facts: DestroyFacts;
  cluster: Cluster | undefined;
  stages: EnvironmentStages;
  backend: AwsBackend | undefined;
  vpcId: string | undefined;
  region: string;
}

export async function gatherFacts(ctx: CommandContext): Promise<GatheredFacts> {
  const root = ctx.root();
  const stages = await loadEnvironmentStages(root, ctx.env);
  const cache = await readClusterCache(clusterCachePath(ctx.state().path, ctx.env));
  const profile = await ctx.adapters.awsProfile().catch(() => undefined);
  const region = tfvarsRegion(stages.tfvars) ?? cache?.region ?? profile?.region ?? "us-east-1";
  const clusterName = cache?.cluster_name ?? clusterNameFromTfvars(stages.tfvars, ctx.env);

  const access = await tryConnect(ctx);
  const cluster = access.cluster;
  const clusterFacts: ClusterFacts | UnreachableCluster = cluster
    ? await readCluster(cluster)
    : { reachable: false, reason: access.reason };

  let backend: AwsBackend | undefined;
  if (stages.entries.some((e) => e.backend === "s3")) {
    try {
      backend = await prepareAwsBackend(ctx, region, "plan");
    } catch (error) {
      // No state bucket: nothing S3-backed was ever applied; the stages have no state to destroy.
      if (!(isAiplatError(error) && error.code === "no-state-bucket")) throw error;
    }
  }
  const stageFacts: StageFacts[] = [];
  for (const entry of stages.entries) {
    const resources = await countStateResources({
      backend: entry.backend,
      stageDir: join(stages.terraformDir, entry.path),
      stage: entry.path,
      env: ctx.env,
      s3: backend ? { client: backend.s3, bucket: backend.bucket } : undefined,
    });
    // A stage with no state at all is not part of the teardown (never applied, or already gone).
    if (resources === 0 && entry.backend !== "s3") continue;
    if (resources === 0 && !backend) continue;
    stageFacts.push({ path: entry.path, backend: entry.backend, resources });
  }
  const scan = await scanCloudSafely(ctx, { clusterName, region, vpcId: cache?.vpc_id });
  return {
    facts: {
      env: ctx.env,
      clusterName,
      region,
      cluster: clusterFacts,
      stages: stageFacts,
      stateBucket: backend?.bucket,
      stateBucketSharedWith: backend
        ? await otherEnvironmentsInBucket({ client: backend.s3, bucket: backend.bucket }, ctx.env)
        : undefined,
      cloud: typeof scan === "string" ? scan : scan.items.map(toLeftover),
    },
    cluster,
    stages,
    backend,
    vpcId: cache?.vpc_id,
    region,
  };
}

export async function scanCloudSafely(
  ctx: CommandContext,
  target: CloudScanTarget,
): Promise<CloudScan | string> {
  try {
    const scan = await scanCloud(ctx.adapters.aws, target);
    for (const e of scan.errors) ctx.io.warn(`Could not list ${e.kind}s in AWS: ${e.message}`);
    return scan;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `<shared_config.resources_prefix>-<env>`, as every stage's global-common.tf names the cluster. */
export function clusterNameFromTfvars(tfvars: Record<string, unknown>, env: string): string {
  let shared = tfvars.shared_config as unknown;
  if (Array.isArray(shared)) shared = shared[0];
  const prefix = (shared as { resources_prefix?: unknown } | undefined)?.resources_prefix;
  return `${typeof prefix === "string" && prefix !== "" ? prefix : "ai-platform"}-${env}`;
}

async function listOrEmpty(
  cluster: Cluster,
  kind: { apiVersion: string; kind: string },
): Promise<KubeObject[]> {
  try {
    return await cluster.objects.list(kind.apiVersion, kind.kind);
  } catch {
    // A kind the cluster does not serve (KRO or Karpenter not installed) has nothing to delete.
    return [];
  }
}

export async function readCluster(cluster: Cluster): Promise<ClusterFacts> {
  const [apps, endpoints, services, ingresses, pools, claims, pvcs] = await Promise.all([
    listOrEmpty(cluster, APPLICATION),
    listOrEmpty(cluster, ENDPOINT),
    listOrEmpty(cluster, SERVICE),
    listOrEmpty(cluster, INGRESS),
    listOrEmpty(cluster, NODE_POOL),
    listOrEmpty(cluster, NODE_CLAIM),
    listOrEmpty(cluster, PVC),
  ]);
  return {
    reachable: true,
    description: cluster.description,
    applications: apps.map(ref),
    autoSync: apps.filter(hasAutomatedSync).map(ref),
    endpoints: endpoints.map(ref),
    loadBalancerServices: services.filter(isLoadBalancerService).map(ref),
    ingresses: ingresses.map(ref),
    nodePools: pools.map(ref),
    nodeClaims: claims.map(ref),
    persistentVolumeClaims: pvcs.map(ref),
  };
}

export function hasAutomatedSync(app: KubeObject): boolean {
  const automated = (app.spec as { syncPolicy?: { automated?: { enabled?: boolean } | null } } | undefined)
    ?.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

export function isLoadBalancerService(svc: KubeObject): boolean {
  return (svc.spec as { type?: string } | undefined)?.type === "LoadBalancer";
}
