import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ClusterAccess } from "../../adapters/kube/eks-connector.js";
import type { TerraformOutputValue } from "../../adapters/terraform.js";

/** The non-secret outputs of the cluster stage, cached so later commands need no terraform call. */
export interface ClusterOutputs {
  cluster_name: string;
  cluster_endpoint?: string | undefined;
  cluster_certificate_authority_data?: string | undefined;
  cluster_arn?: string | undefined;
  region: string;
  vpc_id?: string | undefined;
  oidc_provider_arn?: string | undefined;
  argocd_capability_name?: string | undefined;
}

const NAMES = [
  "cluster_name",
  "cluster_endpoint",
  "cluster_certificate_authority_data",
  "cluster_arn",
  "region",
  "vpc_id",
  "oidc_provider_arn",
  "argocd_capability_name",
] as const;

/** `.aiplat/<env>/cluster.json` */
export function clusterCachePath(stateDir: string, env: string): string {
  return join(stateDir, env, "cluster.json");
}

/** Picks the known, non-sensitive outputs; undefined when the stage has no cluster_name output. */
export function pickClusterOutputs(
  outputs: Record<string, TerraformOutputValue>,
  fallbackRegion: string | undefined,
): ClusterOutputs | undefined {
  const picked: Record<string, string> = {};
  for (const name of NAMES) {
    const v = outputs[name];
    if (v && !v.sensitive && typeof v.value === "string") picked[name] = v.value;
  }
  if (!picked.cluster_name) return undefined;
  const region = picked.region ?? fallbackRegion;
  if (!region) return undefined;
  return { ...picked, cluster_name: picked.cluster_name, region };
}

export async function writeClusterCache(path: string, outputs: ClusterOutputs): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(outputs, null, 2)}\n`, { mode: 0o600 });
}

export async function readClusterCache(path: string): Promise<ClusterOutputs | undefined> {
  try {
    const data = JSON.parse(await readFile(path, "utf8")) as ClusterOutputs;
    return typeof data.cluster_name === "string" && typeof data.region === "string" ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The cached outputs as the EKS connector needs them; undefined before `aiplat up` made the cluster. */
export async function readCachedClusterAccess(path: string): Promise<ClusterAccess | undefined> {
  const cached = await readClusterCache(path);
  if (!cached) return undefined;
  return {
    name: cached.cluster_name,
    endpoint: cached.cluster_endpoint ?? "",
    certificateAuthorityData: cached.cluster_certificate_authority_data ?? "",
    region: cached.region,
    arn: cached.cluster_arn,
  };
}
