import type { CloudKind, CloudLedger, CloudResource } from "../cloud/ledger.js";
import { AwsError } from "./wire.js";

/** What the AWS face reads: the ledger, where the account lives, and the cluster's API server. */
export interface AwsAccount {
  ledger: CloudLedger;
  region: string;
  accountId: string;
  clusterName: string;
  /** The Kubernetes API server URL while the cluster stage is applied. */
  clusterEndpoint(): string | undefined;
}

/**
 * One request's view of the account. Regional services (EC2, ELBv2, EKS, CloudWatch Logs) see
 * nothing in another region than the account's, as a real account with everything in one region
 * would answer; IAM and STS are global.
 */
export class RequestContext {
  constructor(
    readonly account: AwsAccount,
    readonly signedRegion: string,
    private readonly global: boolean,
  ) {}

  get ledger(): CloudLedger {
    return this.account.ledger;
  }

  private get visible(): boolean {
    return this.global || this.signedRegion === this.account.region;
  }

  /** Resources of a kind that exist now. */
  live(kind: CloudKind): CloudResource[] {
    return this.visible ? this.ledger.running(kind) : [];
  }

  /** Resources of a kind including deleted ones (EC2 shows terminated instances for about an hour). */
  recent(kind: CloudKind, withinMinutes: number): CloudResource[] {
    if (!this.visible) return [];
    const now = this.now();
    return this.ledger
      .history()
      .filter(
        (r) =>
          r.kind === kind && (r.deletedAtMinute === undefined || now - r.deletedAtMinute < withinMinutes),
      );
  }

  now(): number {
    return this.ledger.clockMinutes();
  }

  /** ISO-8601 wall time of a simulated minute. */
  iso(minute: number): string {
    return this.ledger.dateOf(minute).toISOString();
  }

  /** The VPC everything lives in (the networking stage's), if any. */
  vpcId(): string | undefined {
    const vpcs = this.ledger.history().filter((r) => r.kind === "vpc");
    return (vpcs.find((v) => v.deletedAtMinute === undefined) ?? vpcs.at(-1))?.id;
  }

  subnetId(): string | undefined {
    return this.ledger.history().find((r) => r.kind === "subnet")?.id;
  }

  arnPrefix(service: string): string {
    return `arn:aws:${service}:${this.global ? "" : this.account.region}:${this.account.accountId}`;
  }
}

/** "a, b" → AWS's "The X ID 'a' does not exist" / "The X IDs 'a, b' do not exist". */
export function notFound(code: string, what: string, ids: string[]): AwsError {
  return ids.length === 1
    ? new AwsError(code, `The ${what} ID '${ids[0]}' does not exist`)
    : new AwsError(code, `The ${what} IDs '${ids.join(", ")}' do not exist`);
}
