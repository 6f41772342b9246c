import type { SimClock } from "../runtime/clock.js";
import { type Store, tryDelete, tryList } from "../runtime/kube.js";
import type { CloudKind, CloudLedger, CloudResource } from "./ledger.js";

/**
 * How `terraform destroy` of a stage behaves against the simulated cloud, step by step as the
 * real stage's dependency graph orders it:
 * - 30.eks/30.cluster: the Karpenter NodePools and EC2NodeClasses (kubectl_manifest, wait = true)
 *   go first, while Karpenter still runs to terminate its instances (terraform/30.eks/30.cluster/
 *   karpenter.tf: "Destroy order matters"); Terraform waits until they are gone and gives up after
 *   `clusterWaitMinutes`. Only then the controllers, the node group and the cluster go.
 * - 10.networking: the NAT gateway, its Elastic IP and the subnets nothing uses go first; a subnet
 *   or the VPC that still holds ENIs, load balancers, instances, security groups or addresses made
 *   outside the stage is retried for `networkRetryMinutes` (the AWS provider retries
 *   DependencyViolation until its delete timeout, 20 minutes for subnets) and then fails with EC2's
 *   DependencyViolation, the freed part already destroyed — a second destroy resumes.
 */
export interface DestroyContext {
  store: Store;
  ledger: CloudLedger;
  clock: SimClock;
  clusterWaitMinutes: number;
  networkRetryMinutes: number;
}

const POLL_MINUTES = 0.5;

/** Resolves when `done()` holds, polling in simulated time; false when `minutes` ran out. */
async function waitFor(clock: SimClock, minutes: number, done: () => boolean): Promise<boolean> {
  const deadline = clock.elapsedMinutes() + minutes;
  while (!done()) {
    if (clock.elapsedMinutes() >= deadline) return false;
    await new Promise<void>((resolve) => clock.after(POLL_MINUTES, resolve));
  }
  return true;
}

const KARPENTER_KINDS = [
  { apiVersion: "karpenter.sh/v1", kind: "NodePool" },
  { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass" },
] as const;

/** Deletes the NodePools, then the EC2NodeClasses, each waited for, as the cluster stage's destroy does. */
export async function deleteKarpenterObjects(ctx: DestroyContext): Promise<void> {
  for (const ref of KARPENTER_KINDS) {
    for (const obj of tryList(ctx.store, ref.apiVersion, ref.kind))
      tryDelete(ctx.store, { ...ref, name: obj.metadata?.name ?? "" });
    const gone = await waitFor(
      ctx.clock,
      ctx.clusterWaitMinutes,
      () => tryList(ctx.store, ref.apiVersion, ref.kind).length === 0,
    );
    if (!gone) {
      const left = tryList(ctx.store, ref.apiVersion, ref.kind).map((o) => o.metadata?.name);
      throw new Error(
        `Error: kubectl_manifest.karpenter: timed out after ${ctx.clusterWaitMinutes}m waiting for ${ref.kind} ${left.join(", ")} to be deleted (its finalizer is still there: is Karpenter running?)`,
      );
    }
  }
}

/** What, made outside the stage, keeps a subnet or the VPC from being deleted. */
const VPC_DEPENDENT_KINDS: CloudKind[] = [
  "eni",
  "load-balancer",
  "instance",
  "security-group",
  "elastic-ip",
  "nat-gateway",
  "eks-cluster",
];

const requestId = (id: string) => `${id.slice(-8)}-0000-4000-8000-000000000000`;

/**
 * Destroys the networking stage's resources; resolves with what is left of the stage (empty when
 * done) or rejects with EC2's DependencyViolation after the retry period.
 */
export async function destroyNetwork(ctx: DestroyContext, made: CloudResource[]): Promise<CloudResource[]> {
  const outside = () =>
    ctx.ledger.running().filter((r) => VPC_DEPENDENT_KINDS.includes(r.kind) && !made.includes(r));
  // Terraform's graph: the NAT gateway (its ENI with it) and its Elastic IP go first.
  for (const r of made)
    if (r.kind === "nat-gateway" || r.kind === "elastic-ip") ctx.ledger.delete(r.id, { waited: true });
  const subnets = made.filter((r) => r.kind === "subnet");
  // ENIs (and what has them) live in the first subnet (aws/ec2.ts shows them there); the others go.
  for (const s of subnets.slice(1)) ctx.ledger.delete(s.id, { waited: true });
  const holdsSubnet = () => outside().some((r) => r.kind !== "security-group");
  await waitFor(ctx.clock, ctx.networkRetryMinutes, () => outside().length === 0);
  const subnet = subnets[0];
  if (subnet && holdsSubnet()) {
    throw new Error(
      `Error: deleting EC2 Subnet (${subnet.id}): operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: ${requestId(subnet.id)}, api error DependencyViolation: The subnet '${subnet.id}' has dependencies and cannot be deleted.`,
    );
  }
  if (subnet) ctx.ledger.delete(subnet.id, { waited: true });
  const vpc = made.find((r) => r.kind === "vpc");
  if (vpc && outside().length > 0) {
    throw new Error(
      `Error: deleting EC2 VPC (${vpc.id}): operation error EC2: DeleteVpc, https response error StatusCode: 400, RequestID: ${requestId(vpc.id)}, api error DependencyViolation: The vpc '${vpc.id}' has dependencies and cannot be deleted.`,
    );
  }
  for (const r of [...made].reverse()) ctx.ledger.delete(r.id, { waited: true });
  return [];
}
