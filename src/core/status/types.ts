/**
 * `aiplat status`: six sections, each either read or unreachable with the reason (no credentials,
 * cluster not up yet, RBAC), so one broken source never hides the others. Plain data: the same
 * objects are printed as text and as --json.
 */

export type Section<T> = ({ ok: true } & T) | { ok: false; reason: string };

export interface StageRow {
  stage: string;
  enabled: boolean;
  /** Last recorded `up` status (journal), or "never" when `up` has not touched the stage. */
  status: string;
  /** When that status was recorded (ISO). */
  at?: string | undefined;
  /** Switched off in the tfvars, but the journal says it was applied: it still holds resources. */
  holdsResources: boolean;
}

export interface InfrastructureSection {
  stages: StageRow[];
}

export interface CapabilityRow {
  name: string;
  type: string;
  status: string;
}

export interface ClusterSection {
  name: string;
  region: string;
  version?: string | undefined;
  status?: string | undefined;
  capabilities: CapabilityRow[];
  argocdUrl?: string | undefined;
}

export interface AppStatusRow {
  app: string;
  sync: string;
  health: string;
  /** The commit ArgoCD synced. */
  revision?: string | undefined;
  /** The branch the app follows (spec.source.targetRevision). */
  branch?: string | undefined;
  /** The branch head on the remote, when it could be read. */
  head?: string | undefined;
  /** true when the synced revision is not the branch head; undefined when unknown. */
  behind?: boolean | undefined;
  /** ArgoCD's message, only when the app is not Synced and Healthy. */
  message?: string | undefined;
}

export interface GitopsSection {
  applications: AppStatusRow[];
  /** When there are none: the command that installs them (with the user's flags). */
  next?: string | undefined;
}

export interface EndpointStatusRow {
  name: string;
  model?: string | undefined;
  state: string;
  ready: boolean;
  replicas: { current: number; min: number; max: number };
  gpus: number;
  /** undefined when LiteLLM could not be asked. */
  registered?: boolean | undefined;
  /** Requests LiteLLM served for it in the last 30 days; undefined when LiteLLM does not report them. */
  requests?: number | undefined;
  createdAt?: string | undefined;
  /** Why it is not ready (the instance's Ready condition message), when it is not. */
  message?: string | undefined;
}

export interface EndpointsSection {
  endpoints: EndpointStatusRow[];
  /** When there are none: the command that deploys a first one (with the user's flags). */
  next?: string | undefined;
}

export interface GpuNodeRow {
  name: string;
  instanceType: string;
  capacityType: string;
  createdAt?: string | undefined;
  gpus: number;
  /** Endpoints whose pods run on the node; empty = idle. */
  serves: string[];
  idle: boolean;
  /** USD/h; undefined when the type is not in the price table. */
  hourlyUsd?: number | undefined;
}

export interface GpuNodesSection {
  nodes: GpuNodeRow[];
  gpuHourlyUsd: number;
  idleGpuHourlyUsd: number;
  /** Every node with a known price plus the EKS control plane. */
  clusterHourlyUsd: number;
  /** Node types missing from the price table (their cost is not in the totals). */
  unpriced: string[];
  priceNote: string;
}

export interface LitellmModelRow {
  name: string;
  /** An InferenceEndpoint of that name exists. */
  backed: boolean;
}

export interface LitellmSection {
  healthy: boolean;
  database?: string | undefined;
  models: LitellmModelRow[];
  /** Registered models no endpoint backs, with the command that deregisters each. */
  orphans: { name: string; fix: string }[];
}

export interface PlatformStatus {
  infrastructure: Section<InfrastructureSection>;
  cluster: Section<ClusterSection>;
  gitops: Section<GitopsSection>;
  endpoints: Section<EndpointsSection>;
  gpuNodes: Section<GpuNodesSection>;
  litellm: Section<LitellmSection>;
}

export const SECTION_ORDER = [
  "infrastructure",
  "cluster",
  "gitops",
  "endpoints",
  "gpuNodes",
  "litellm",
] as const;
export type SectionName = (typeof SECTION_ORDER)[number];

export const SECTION_TITLES: Record<SectionName, string> = {
  infrastructure: "Infrastructure",
  cluster: "Cluster",
  gitops: "GitOps",
  endpoints: "Endpoints",
  gpuNodes: "GPU nodes",
  litellm: "LiteLLM",
};

/** Sections that could not be read, in display order. */
export function unreadSections(status: PlatformStatus): SectionName[] {
  return SECTION_ORDER.filter((name) => !status[name].ok);
}
