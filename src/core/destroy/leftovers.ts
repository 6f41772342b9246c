/**
 * What can be left in the AWS account after a teardown, who made it, and what it costs per hour.
 * Pure: the AWS adapter (src/adapters/aws/cloud-inventory.ts) lists the resources, this module
 * judges them. Prices are public us-east-1 on-demand list prices (aws.amazon.com/ec2/pricing,
 * /elasticloadbalancing/pricing, /vpc/pricing, /ebs/pricing), rounded; they are for ranking what to
 * clean first, not for invoices.
 */

export type LeftoverKind =
  | "instance"
  | "load-balancer"
  | "target-group"
  | "eni"
  | "security-group"
  | "volume"
  | "elastic-ip"
  | "nat-gateway"
  | "instance-profile"
  | "log-group"
  /** The state bucket's KMS key (alias/aiplat-tfstate), made by `aiplat up`, not by Terraform. */
  | "kms-key";

/** Who made a resource, from its tags: decides which teardown step should have removed it. */
export type MadeBy =
  | "karpenter"
  | "aws-load-balancer-controller"
  | "ebs-csi-driver"
  | "terraform"
  | "aiplat-up"
  | "unknown";

export interface CloudItem {
  kind: LeftoverKind;
  id: string;
  name?: string | undefined;
  /** Instance type, LB type (network/application), volume type, volume size in GiB… */
  type?: string | undefined;
  sizeGiB?: number | undefined;
  /** EC2 state (running, shutting-down, available, in-use…). */
  state?: string | undefined;
  tags: Record<string, string>;
  /** What an ENI or volume is attached to (instance, load balancer description). */
  attachedTo?: string | undefined;
  /** An instance profile's roles (IAM refuses to delete a profile that still holds one). */
  roles?: string[] | undefined;
}

export interface Leftover extends CloudItem {
  madeBy: MadeBy;
  hourlyCost: number;
}

/** On-demand $/hour of the instance types the platform's NodePools and system nodes use. */
const INSTANCE_HOURLY: Record<string, number> = {
  "m7i.large": 0.1008,
  "m7i.xlarge": 0.2016,
  "m5.large": 0.096,
  "g5.xlarge": 1.006,
  "g5.2xlarge": 1.212,
  "g5.4xlarge": 1.624,
  "g5.12xlarge": 5.672,
  "g5.48xlarge": 16.288,
  "g6.xlarge": 0.805,
  "g6.2xlarge": 0.978,
  "g6.12xlarge": 4.602,
  "g6e.xlarge": 1.861,
  "g6e.2xlarge": 2.242,
  "g6e.12xlarge": 10.493,
  "p4d.24xlarge": 32.773,
  "p5.48xlarge": 98.32,
};
/** An instance type missing above is still billed: a conservative GPU-class guess. */
const UNKNOWN_INSTANCE_HOURLY = 1.0;
const LB_HOURLY = 0.0225;
const NAT_HOURLY = 0.045;
const EIP_HOURLY = 0.005;
const EBS_GIB_MONTH = 0.08;
/**
 * A customer managed KMS key: $1/month prorated hourly, nothing once scheduled for deletion
 * (aws.amazon.com/kms/pricing). Each yearly rotation adds $1/month; the first year's price is used.
 */
const KMS_KEY_MONTH = 1;
const HOURS_PER_MONTH = 730;

export function hourlyCost(item: CloudItem): number {
  switch (item.kind) {
    case "instance":
      if (item.state === "terminated") return 0;
      // Stryker disable next-line StringLiteral: no listed type is named "" or "Stryker was here!", so either key finds no price
      return INSTANCE_HOURLY[item.type ?? ""] ?? UNKNOWN_INSTANCE_HOURLY;
    case "load-balancer":
      return LB_HOURLY;
    case "nat-gateway":
      return NAT_HOURLY;
    case "elastic-ip":
      return EIP_HOURLY;
    case "kms-key":
      return item.state === "PendingDeletion" ? 0 : round(KMS_KEY_MONTH / HOURS_PER_MONTH);
    case "volume":
      return round((EBS_GIB_MONTH * (item.sizeGiB ?? 1)) / HOURS_PER_MONTH);
    default:
      return 0;
  }
}

export function madeBy(tags: Record<string, string>): MadeBy {
  const keys = Object.keys(tags);
  // Terraform's default_tags first: a Terraform-made node security group also carries
  // karpenter.sh/discovery so that EC2NodeClasses can select it, which does not make it Karpenter's.
  if (tags["managed-by"] === "terraform" || keys.includes("aiplat:stage")) return "terraform";
  // What Karpenter tags its own instances, volumes and instance profiles with (karpenter.sh docs,
  // reference/cloudformation and concepts/nodeclasses: nodepool, nodeclaim, ec2nodeclass tags).
  if (
    keys.some(
      (k) =>
        k === "karpenter.sh/nodepool" ||
        k === "karpenter.sh/nodeclaim" ||
        k === "karpenter.k8s.aws/ec2nodeclass",
    )
  )
    return "karpenter";
  if (
    keys.some(
      (k) =>
        k.startsWith("elbv2.k8s.aws/") ||
        k.startsWith("service.k8s.aws/") ||
        k.startsWith("ingress.k8s.aws/"),
    )
  )
    return "aws-load-balancer-controller";
  if (keys.some((k) => k.startsWith("kubernetes.io/created-for/pvc") || k.startsWith("ebs.csi.aws.com/")))
    return "ebs-csi-driver";
  return "unknown";
}

export function toLeftover(item: CloudItem): Leftover {
  let by = madeBy(item.tags);
  // ListInstanceProfiles returns no tags; Karpenter names its profiles `<cluster>_<number>`
  // (karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go, InstanceProfileName).
  if (by === "unknown" && item.kind === "instance-profile" && /_\d+$/.test(item.id)) by = "karpenter";
  // The scan finds the KMS key by aiplat's own alias only.
  if (item.kind === "kms-key") by = "aiplat-up";
  return { ...item, madeBy: by, hourlyCost: hourlyCost(item) };
}

/** Made by a controller in the cluster: gone after steps 3–6 even when the Terraform stages stay. */
export function isClusterMade(l: Leftover): boolean {
  return (
    l.madeBy === "karpenter" || l.madeBy === "aws-load-balancer-controller" || l.madeBy === "ebs-csi-driver"
  );
}

/**
 * What must be gone for the run to count as clean. A full teardown leaves nothing; --keep-infra
 * keeps the Terraform stages, so only what the in-cluster controllers made must be gone.
 */
export function unexpectedLeftovers(all: readonly Leftover[], keepInfra: boolean): Leftover[] {
  return all.filter((l) => (keepInfra ? isClusterMade(l) : true));
}

export function totalHourly(items: readonly Leftover[]): number {
  return round(items.reduce((sum, l) => sum + l.hourlyCost, 0));
}

/** "$1.0060/h" */
export function formatHourly(dollars: number): string {
  return `$${dollars.toFixed(4)}/h`;
}

export function describeLeftover(l: Leftover): string {
  const what = [l.kind, l.id, l.name && l.name !== l.id ? `(${l.name})` : "", l.type ?? "", l.state ?? ""]
    .filter(Boolean)
    .join(" ");
  return `${what} — ${whose(l)}, ${formatHourly(l.hourlyCost)}`;
}

/** Who made it; for what none of the platform's makers tagged, the tags say whose it is. */
function whose(l: Leftover): string {
  if (l.madeBy !== "unknown") return `made by ${l.madeBy}`;
  const tags = Object.entries(l.tags).map(([k, v]) => (v ? `${k}=${v}` : k));
  return `not made by aiplat's stages or the cluster's controllers${tags.length > 0 ? ` (tags ${tags.slice(0, 4).join(", ")})` : ""}`;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
