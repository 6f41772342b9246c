import type { Leftover, LeftoverKind } from "../../core/destroy/leftovers.js";
import type { Cluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";

/** What every teardown step gets: the cluster (if it answers), AWS access and where to record. */
export interface StepRun {
  ctx: CommandContext;
  cluster: Cluster | undefined;
  clusterName: string;
  region: string;
  vpcId: string | undefined;
  /** --sweep: a step whose controller is gone deletes its AWS resources itself (after confirmation). */
  sweep: boolean;
  /** Per wait. */
  timeoutMs: number;
  /** The command that resumes the teardown, with the user's flags. */
  resume: string;
  /**
   * What the AWS account holds for the cluster now (re-read each call), only `kinds` when given (a
   * step's evidence: fewer describe calls per check); throws when AWS cannot be read.
   */
  cloud(kinds?: readonly LeftoverKind[]): Promise<Leftover[]>;
  /** Records something this run deleted or changed, for the report. */
  deleted(what: string): void;
}
