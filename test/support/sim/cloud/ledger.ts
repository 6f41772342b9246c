import type { SimClock } from "../runtime/clock.js";
import type { Random } from "../runtime/random.js";

/**
 * The simulated AWS account: everything that exists and costs money, with its hourly price, so a
 * test can assert on the bill ("after destroy nothing runs") the way a user reads Cost Explorer.
 * Times are simulated minutes since the simulator started.
 *
 * Nothing disappears in zero time unless its deleter waited for it (Terraform does): an instance is
 * `shutting-down` (no longer billed, still holding its ENI and volumes) for
 * `instanceShutdownMinutes` before it is `terminated`; a load balancer's ENIs linger for
 * `lbEniReleaseMinutes` after the load balancer is gone. Sources: test/support/sim/README.md.
 */
export type CloudKind =
  | "instance"
  | "load-balancer"
  | "eni"
  | "volume"
  | "vpc"
  | "subnet"
  | "nat-gateway"
  | "security-group"
  | "eks-cluster"
  | "eks-capability"
  | "iam-role"
  | "instance-profile"
  | "target-group"
  | "elastic-ip"
  | "log-group";

export interface CloudResource {
  id: string;
  kind: CloudKind;
  name?: string;
  /** Instance type, load balancer type, volume type… */
  type?: string;
  hourlyPrice: number;
  tags: Record<string, string>;
  /** Who made it: "terraform:<stage>", "karpenter", "aws-load-balancer-controller", "ebs-csi". */
  createdBy: string;
  /** The resource this one belongs to (an ENI's instance or load balancer, a subnet's VPC). */
  attachedTo?: string;
  /** Security groups an ENI or load balancer uses (they cannot be deleted while it exists). */
  securityGroups?: string[];
  /** The IAM role an instance profile holds (RemoveRoleFromInstanceProfile clears it). */
  role?: string;
  launchedAtMinute: number;
  /** When deletion started and billing stopped (an instance shutting down). */
  deletingSinceMinute?: number;
  deletedAtMinute?: number;
}

export interface LedgerDelays {
  /** EC2 `shutting-down` → `terminated`. */
  instanceShutdownMinutes: number;
  /** A deleted load balancer's ENIs are released this much later. */
  lbEniReleaseMinutes: number;
}

export type LedgerEvent = "created" | "deleting" | "deleted";

const ID_PREFIX: Record<CloudKind, string> = {
  instance: "i-",
  "load-balancer": "lb-",
  eni: "eni-",
  volume: "vol-",
  vpc: "vpc-",
  subnet: "subnet-",
  "nat-gateway": "nat-",
  "security-group": "sg-",
  "eks-cluster": "eks-",
  "eks-capability": "cap-",
  "iam-role": "role-",
  "instance-profile": "AIPA",
  "target-group": "tg-",
  "elastic-ip": "eipalloc-",
  "log-group": "lg-",
};

export class CloudLedger {
  private readonly resources: CloudResource[] = [];
  private readonly listeners: ((r: CloudResource, event: LedgerEvent) => void)[] = [];
  /** Wall time of simulated minute 0 (timestamps the AWS face shows). */
  private readonly epochMs = Date.now();

  constructor(
    private readonly clock: SimClock,
    private readonly random: Random,
    private readonly delays: LedgerDelays = { instanceShutdownMinutes: 0, lbEniReleaseMinutes: 0 },
  ) {}

  /** Simulated minutes since the simulator started. */
  clockMinutes(): number {
    return this.clock.elapsedMinutes();
  }

  /** Wall time of a simulated minute, as AWS timestamps would show it. */
  dateOf(minute: number): Date {
    return new Date(this.epochMs + Math.round(minute * 60_000));
  }

  /** Called on every creation, start of a slow deletion and completed deletion. */
  onChange(listener: (r: CloudResource, event: LedgerEvent) => void): void {
    this.listeners.push(listener);
  }

  create(input: Omit<CloudResource, "id" | "launchedAtMinute"> & { id?: string }): CloudResource {
    const resource: CloudResource = {
      ...input,
      id: input.id ?? `${ID_PREFIX[input.kind]}${this.random.hex(17)}`,
      launchedAtMinute: this.clock.elapsedMinutes(),
    };
    this.resources.push(resource);
    this.emit(resource, "created");
    return resource;
  }

  /**
   * Deletes a resource as the AWS API does: an instance shuts down first (its ENI and
   * delete-on-termination volumes go when it is terminated, other volumes are detached); a load
   * balancer's ENIs linger. `waited: true` is a deleter that waits until AWS is done (Terraform):
   * everything is gone now.
   */
  delete(id: string, options: { waited?: boolean } = {}): void {
    const r = this.find(id);
    if (!r || r.deletedAtMinute !== undefined || (r.deletingSinceMinute !== undefined && !options.waited))
      return;
    if (r.kind === "instance" && !options.waited && this.delays.instanceShutdownMinutes > 0) {
      r.deletingSinceMinute = this.clock.elapsedMinutes();
      this.emit(r, "deleting");
      this.clock.after(this.delays.instanceShutdownMinutes, () => this.finish(r, false));
      return;
    }
    this.finish(r, options.waited === true);
  }

  private finish(r: CloudResource, waited: boolean): void {
    if (r.deletedAtMinute !== undefined) return;
    const now = this.clock.elapsedMinutes();
    r.deletingSinceMinute ??= now;
    r.deletedAtMinute = now;
    this.emit(r, "deleted");
    const lingers = r.kind === "load-balancer" && !waited && this.delays.lbEniReleaseMinutes > 0;
    for (const child of this.running()) {
      if (child.attachedTo !== r.id) continue;
      if (child.tags["delete-on-termination"] !== "true") {
        // A volume that outlives its instance (an EBS CSI volume) is left detached.
        if (child.kind === "volume") delete child.attachedTo;
        continue;
      }
      if (lingers && child.kind === "eni") {
        this.clock.after(this.delays.lbEniReleaseMinutes, () => this.finish(child, true));
      } else this.finish(child, true);
    }
  }

  find(id: string): CloudResource | undefined {
    return this.resources.find((r) => r.id === id);
  }

  /** What exists now (optionally of one kind), shutting-down instances included. */
  running(kind?: CloudKind): CloudResource[] {
    return this.resources.filter(
      (r) => r.deletedAtMinute === undefined && (kind === undefined || r.kind === kind),
    );
  }

  /** What is billed now: what exists, less instances that are shutting down. */
  billing(): CloudResource[] {
    return this.running().filter((r) => r.deletingSinceMinute === undefined);
  }

  /** Everything ever created, deleted ones included. */
  history(): CloudResource[] {
    return [...this.resources];
  }

  instances(): CloudResource[] {
    return this.running("instance");
  }

  loadBalancers(): CloudResource[] {
    return this.running("load-balancer");
  }

  enis(): CloudResource[] {
    return this.running("eni");
  }

  volumes(): CloudResource[] {
    return this.running("volume");
  }

  /**
   * An IAM instance profile holding `role`, as Karpenter makes one for an EC2NodeClass's
   * `spec.role` (karpenter-provider-aws pkg/providers/instanceprofile). Default name
   * `<cluster>_<digits>` like Karpenter's generated names.
   */
  createInstanceProfile(
    role: string,
    tags: Record<string, string>,
    options: { name?: string; createdBy?: string } = {},
  ): CloudResource {
    const cluster = tags["karpenter.k8s.aws/cluster"] ?? tags["aiplat:cluster"] ?? "cluster";
    const digits = String(Number.parseInt(this.random.hex(12), 16)).slice(0, 19);
    return this.create({
      kind: "instance-profile",
      name: options.name ?? `${cluster}_${digits}`,
      hourlyPrice: 0,
      tags,
      role,
      createdBy: options.createdBy ?? "karpenter",
    });
  }

  /** Deletes the instance profile of that name (no-op when there is none). */
  deleteInstanceProfile(name: string): void {
    const profile = this.running("instance-profile").find((r) => r.name === name);
    if (profile) this.delete(profile.id, { waited: true });
  }

  /** USD per hour of what is billed now. */
  hourlyCost(): number {
    return round(this.billing().reduce((sum, r) => sum + r.hourlyPrice, 0));
  }

  /** USD accrued so far in simulated time (price × simulated hours billed). */
  accruedCost(): number {
    const now = this.clock.elapsedMinutes();
    let total = 0;
    for (const r of this.resources)
      total +=
        (r.hourlyPrice * ((r.deletingSinceMinute ?? r.deletedAtMinute ?? now) - r.launchedAtMinute)) / 60;
    return round(total);
  }

  private emit(r: CloudResource, event: LedgerEvent): void {
    for (const listener of this.listeners) listener(r, event);
  }
}

const round = (n: number): number => Math.round(n * 10000) / 10000;
