/**
 * The ordered teardown plan, built from what exists (PLATFORM.md "Teardown order that works"):
 * every step names what it acts on and the evidence that ends it. Pure: src/cli/destroy gathers
 * the facts (cluster, Terraform states, journal, AWS) and runs the steps.
 */
import { destroyOrder } from "../stages/stages.js";
import { type Leftover, totalHourly } from "./leftovers.js";

export interface ClusterFacts {
  reachable: true;
  description: string;
  /** namespace/name of every ArgoCD Application, and those whose automated sync is on. */
  applications: string[];
  autoSync: string[];
  endpoints: string[];
  loadBalancerServices: string[];
  ingresses: string[];
  nodePools: string[];
  nodeClaims: string[];
  persistentVolumeClaims: string[];
}

export interface UnreachableCluster {
  reachable: false;
  reason: string;
}

export interface StageFacts {
  path: string;
  backend: "s3" | "local" | "other";
  /** Managed resources its state still records; undefined = could not read the state. */
  resources: number | undefined;
}

export interface DestroyFacts {
  env: string;
  clusterName: string;
  region?: string | undefined;
  cluster: ClusterFacts | UnreachableCluster;
  /** In apply order. */
  stages: StageFacts[];
  stateBucket?: string | undefined;
  /** Other environments whose state in the bucket still records resources: the bucket stays. */
  stateBucketSharedWith?: string[] | undefined;
  /** What the AWS API shows tagged for or named after the cluster; a string when it could not be read. */
  cloud: Leftover[] | string;
}

export interface DestroyOptions {
  keepInfra: boolean;
  keepBackend: boolean;
  sweep: boolean;
}

export type StepKind =
  | "preflight"
  | "stop-gitops"
  | "endpoints"
  | "load-balancers"
  | "node-pools"
  | "applications"
  | "stage"
  | "state-backend"
  | "leftovers"
  | "report";

export interface DestroyStep {
  /** Stable id, also the journal key: `stage:30.eks/30.cluster` for Terraform stages. */
  id: string;
  kind: StepKind;
  title: string;
  /** What the step deletes or changes (empty = nothing left to do, the step only re-checks). */
  actsOn: string[];
  /** What ends the step: the observation, never a timer. */
  evidence: string;
  /** Why the step will not act (cluster unreachable, --keep-infra…). */
  skip?: string | undefined;
}

export interface DestroyPlan {
  env: string;
  clusterName: string;
  options: DestroyOptions;
  steps: DestroyStep[];
  /** What bills now, before anything is deleted. */
  hourlyCostNow?: number | undefined;
}

export const STAGE_STEP_PREFIX = "stage:";

export function buildDestroyPlan(facts: DestroyFacts, options: DestroyOptions): DestroyPlan {
  const c = facts.cluster;
  const offline = c.reachable
    ? undefined
    : `cluster unreachable (${c.reason}); the AWS side and the leftover scan still run`;
  const inCluster = (pick: (f: ClusterFacts) => string[]) => (c.reachable ? pick(c) : []);
  const steps: DestroyStep[] = [
    {
      id: "preflight",
      kind: "preflight",
      title: "Preflight: credentials last the whole plan, the cluster answers",
      actsOn: [],
      evidence: "STS caller identity and credential expiry; one API server read",
    },
    {
      id: "stop-gitops",
      kind: "stop-gitops",
      title: "Stop GitOps: switch off automated sync so nothing is re-created",
      actsOn: inCluster((f) => f.autoSync).map((a) => `Application ${a}`),
      evidence: "every Application read back without spec.syncPolicy.automated",
      skip: offline,
    },
    {
      id: "endpoints",
      kind: "endpoints",
      title: "Delete InferenceEndpoints while KRO and KubeRay run; deregister their models from LiteLLM",
      actsOn: inCluster((f) => f.endpoints).map((e) => `InferenceEndpoint ${e}`),
      evidence: "watch: no InferenceEndpoint, RayService or Ray pod left, no GPU NodeClaim left",
      skip: offline,
    },
    {
      id: "load-balancers",
      kind: "load-balancers",
      title: "Delete LoadBalancer Services and Ingresses while the LB controller runs",
      actsOn: [
        ...inCluster((f) => f.loadBalancerServices).map((s) => `Service ${s}`),
        ...inCluster((f) => f.ingresses).map((i) => `Ingress ${i}`),
      ],
      evidence:
        "watch: the objects are gone; AWS: no load balancer, target group, controller security group or ENI of theirs left",
      skip: offline,
    },
    {
      id: "node-pools",
      kind: "node-pools",
      title: "Delete the Karpenter NodePools; drain and terminate their nodes",
      actsOn: inCluster((f) => f.nodePools).map((p) => `NodePool ${p}`),
      evidence:
        "watch: no NodeClaim or Karpenter node left; EC2: no instance tagged for the cluster by Karpenter pending, running or shutting-down",
      skip: offline,
    },
    {
      id: "applications",
      kind: "applications",
      title: "Delete the Applications (cascade) and PVCs while the EBS CSI driver runs",
      actsOn: [
        ...inCluster((f) => f.applications).map((a) => `Application ${a}`),
        ...inCluster((f) => f.persistentVolumeClaims).map((p) => `PersistentVolumeClaim ${p}`),
      ],
      evidence: "watch: no Application or PVC left; EC2: no volume made by the EBS CSI driver left",
      skip: offline,
    },
  ];
  // destroyOrder reorders the paths it is given: every one names a stage of facts.stages.
  for (const stage of destroyOrder(facts.stages.map((s) => s.path))) {
    const s = facts.stages.find((x) => x.path === stage) as StageFacts;
    steps.push({
      id: `${STAGE_STEP_PREFIX}${stage}`,
      kind: "stage",
      title: `terraform destroy ${stage}`,
      actsOn:
        s.resources === 0
          ? []
          : [`${s.resources === undefined ? "the" : s.resources} resource(s) in the state of ${stage}`],
      evidence: "terraform destroy exits 0 and the state records no resource",
      skip: options.keepInfra ? "--keep-infra keeps the Terraform stages" : undefined,
    });
  }
  if (facts.stateBucket) {
    steps.push({
      id: "state-backend",
      kind: "state-backend",
      title: `Empty (every version) and remove the state bucket ${facts.stateBucket}, then schedule the deletion of its KMS key`,
      actsOn: [
        `S3 bucket ${facts.stateBucket}`,
        "KMS key alias/aiplat-tfstate: deletion scheduled (AWS waits 7 days at least; not billed meanwhile), alias deleted",
      ],
      evidence: "HeadBucket answers NotFound; DescribeKey shows the key PendingDeletion (or no alias)",
      skip: options.keepInfra
        ? "--keep-infra keeps the Terraform state"
        : options.keepBackend
          ? "--keep-backend keeps the state bucket"
          : facts.stateBucketSharedWith?.length
            ? `the bucket also holds the state of ${facts.stateBucketSharedWith.join(", ")}, which still records resources: kept, with its KMS key`
            : undefined,
    });
  }
  steps.push(
    {
      id: "leftovers",
      kind: "leftovers",
      title: `Scan AWS for what is tagged for or named after ${facts.clusterName}${options.sweep ? " and delete it (--sweep)" : ""}`,
      actsOn: [],
      evidence:
        "EC2/ELBv2/IAM/CloudWatch Logs describe calls: instances, load balancers, target groups, ENIs, security groups, volumes, Elastic IPs, NAT gateways, instance profiles, log groups; once the state bucket is gone, KMS DescribeKey of alias/aiplat-tfstate",
    },
    {
      id: "report",
      kind: "report",
      title: "Report what was deleted and what is left, with its hourly cost",
      actsOn: [],
      evidence: "exit 0 only when nothing billable is left",
    },
  );
  return {
    env: facts.env,
    clusterName: facts.clusterName,
    options,
    steps,
    hourlyCostNow: Array.isArray(facts.cloud) ? totalHourly(facts.cloud) : undefined,
  };
}
