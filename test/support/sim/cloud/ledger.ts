import type { SimClock } from "../runtime/clock.js";
import type { Random } from "../runtime/random.js";

/**
 * The simulated AWS account: everything that exists and costs money, with its hourly price, so a
 * test can assert on the bill ("after destroy nothing runs") the way a user reads Cost Explorer.
 * Times are simulated minutes since the simulator started.
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
  launchedAtMinute: number;
  deletedAtMinute?: number;
}

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

  constructor(
    private readonly clock: SimClock,
    private readonly random: Random,
  ) {}

  create(input: Omit<CloudResource, "id" | "launchedAtMinute"> & { id?: string }): CloudResource {
    const resource: CloudResource = {
      ...input,
      id: input.id ?? `${ID_PREFIX[input.kind]}${this.random.hex(17)}`,
      launchedAtMinute: this.clock.elapsedMinutes(),
    };
    this.resources.push(resource);
    return resource;
  }

  /** Deletes a resource and everything attached to it that AWS deletes with it. */
  delete(id: string): void {
    const now = this.clock.elapsedMinutes();
    for (const r of this.resources) {
      if (r.deletedAtMinute !== undefined) continue;
      if (r.id === id || (r.attachedTo === id && r.tags["delete-on-termination"] === "true"))
        r.deletedAtMinute = now;
    }
  }

  find(id: string): CloudResource | undefined {
    return this.resources.find((r) => r.id === id);
  }

  /** What exists now (optionally of one kind). */
  running(kind?: CloudKind): CloudResource[] {
    return this.resources.filter(
      (r) => r.deletedAtMinute === undefined && (kind === undefined || r.kind === kind),
    );
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

  /** USD per hour of what runs now. */
  hourlyCost(): number {
    return round(this.running().reduce((sum, r) => sum + r.hourlyPrice, 0));
  }

  /** USD accrued so far in simulated time (price × simulated hours alive). */
  accruedCost(): number {
    const now = this.clock.elapsedMinutes();
    let total = 0;
    for (const r of this.resources)
      total += (r.hourlyPrice * ((r.deletedAtMinute ?? now) - r.launchedAtMinute)) / 60;
    return round(total);
  }
}

const round = (n: number): number => Math.round(n * 10000) / 10000;
