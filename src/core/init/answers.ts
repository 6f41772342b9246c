/**
 * The answers of `aiplat init`: everything that ends up in terraform/00.global/vars/<env>.tfvars
 * plus the GitOps source (repoURL/targetRevision of argocd/). Pure data, no I/O.
 */

export const CAPABILITY_NAMES = [
  "kube_proxy",
  "networking",
  "coredns",
  "identity",
  "autoscaling",
  "blockstorage",
  "loadbalancing",
  "gitops",
  "kro",
  "ack",
] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];
export type Capabilities = Record<CapabilityName, boolean>;

export const ARGOCD_ROLES = ["ADMIN", "EDITOR", "VIEWER"] as const;
export type ArgoRole = (typeof ARGOCD_ROLES)[number];

export type IdentityType = "SSO_USER" | "SSO_GROUP";

export interface RbacIdentity {
  id: string;
  type: IdentityType;
}

/** What terraform reads: every key here is a variable declared by every stage. */
export interface TfvarsAnswers {
  region: string;
  vpcCidr: string;
  tags: Record<string, string>;
  prefix: string;
  kubernetesVersion: string;
  /** Not asked by init; kept from an existing file so a re-run never loses a hand edit. */
  eksAutoMode: boolean;
  privateEksCluster: boolean;
  createMngSystem: boolean;
  /** The gpu-inference NodePool's GPU cap (variables.tf default 16); kept like the three above. */
  gpuNodeLimit: number;
  /** Hand-set node AMI release and public API ranges; kept when present (variables.tf has the defaults). */
  nodeAmiAlias?: string | undefined;
  publicAccessCidrs?: string[] | undefined;
  /** cluster_config.model_cache (the S3 model cache bucket), kept when present. */
  modelCache?: boolean | undefined;
  capabilities: Capabilities;
  idcInstanceArn: string;
  idcRegion: string;
  rbac: Record<ArgoRole, RbacIdentity[]>;
  ackIamPolicyArns: string[];
  observability: {
    awsNativeTooling: boolean;
    awsOssTooling: boolean;
    enableManagedCollector: boolean;
    enableGrafanaWorkspace: boolean;
  };
}

export interface InitAnswers extends TfvarsAnswers {
  env: string;
  repoUrl: string;
  revision: string;
}

export function allCapabilities(on = true): Capabilities {
  return Object.fromEntries(CAPABILITY_NAMES.map((name) => [name, on])) as Capabilities;
}

export function emptyRbac(): Record<ArgoRole, RbacIdentity[]> {
  return { ADMIN: [], EDITOR: [], VIEWER: [] };
}

/** Defaults for everything init does not ask about (the values of example.tfvars). */
export function defaultTfvarsAnswers(): Omit<
  TfvarsAnswers,
  "region" | "vpcCidr" | "prefix" | "kubernetesVersion" | "idcInstanceArn" | "idcRegion"
> {
  return {
    tags: {},
    eksAutoMode: false,
    privateEksCluster: false,
    createMngSystem: true,
    gpuNodeLimit: 16,
    capabilities: allCapabilities(true),
    rbac: emptyRbac(),
    ackIamPolicyArns: [],
    observability: {
      awsNativeTooling: false,
      awsOssTooling: false,
      enableManagedCollector: true,
      enableGrafanaWorkspace: false,
    },
  };
}

export const DEFAULTS = {
  region: "eu-central-1",
  prefix: "ai-platform",
  vpcCidr: "10.4.0.0/16",
  kubernetesVersion: "1.35",
} as const;

/**
 * Kubernetes versions offered when the EKS API cannot be asked (DescribeClusterVersions), newest
 * first. The stages are tested with 1.35 (example.tfvars).
 */
export const BUILT_IN_KUBERNETES_VERSIONS = ["1.35", "1.34", "1.33", "1.32"] as const;

/** Parses `--capabilities`: "all", "none", or a comma list of the enabled ones (e.g. "all,-ack"). */
export function parseCapabilityList(text: string): Capabilities | string {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) return "list at least one capability, or all / none";
  let result = allCapabilities(false);
  for (const item of items) {
    if (item === "all") result = allCapabilities(true);
    else if (item === "none") result = allCapabilities(false);
    else {
      const off = item.startsWith("-");
      const name = off ? item.slice(1) : item;
      if (!(CAPABILITY_NAMES as readonly string[]).includes(name)) {
        return `unknown capability ${JSON.stringify(name)}; known: ${CAPABILITY_NAMES.join(", ")}`;
      }
      result[name as CapabilityName] = !off;
    }
  }
  return result;
}

export function formatCapabilityList(capabilities: Capabilities): string {
  const on = CAPABILITY_NAMES.filter((n) => capabilities[n]);
  if (on.length === CAPABILITY_NAMES.length) return "all";
  if (on.length === 0) return "none";
  return on.join(",");
}
