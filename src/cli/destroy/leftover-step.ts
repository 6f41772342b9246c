/**
 * Steps 8 and 9: the leftover scan through the AWS APIs and, with --sweep (after confirmation or
 * --yes), their deletion — then a re-scan until what was swept is gone (instances pass
 * shutting-down, ENIs linger), bounded by the step timeout.
 */
import { sweepCloud } from "../../adapters/aws/cloud-sweep.js";
import {
  formatHourly,
  type Leftover,
  totalHourly,
  unexpectedLeftovers,
} from "../../core/destroy/leftovers.js";
import { InterruptedError, UsageError } from "../../core/errors.js";
import { renderLeftovers } from "./render.js";
import type { StepRun } from "./step-context.js";
import { AWS_POLL_MS, waitUntil } from "./wait.js";

export interface LeftoverOutcome {
  left: Leftover[];
  swept: string[];
  sweepFailures: string[];
}

export async function scanAndSweep(
  run: StepRun,
  opts: { keepInfra: boolean; sweep: boolean },
): Promise<LeftoverOutcome> {
  const outcome: LeftoverOutcome = { left: [], swept: [], sweepFailures: [] };
  const found = unexpectedLeftovers(await run.cloud(), opts.keepInfra);
  if (found.length === 0 || !opts.sweep) {
    outcome.left = found;
    return outcome;
  }
  const { ctx } = run;
  if (!ctx.globals.yes) {
    if (!ctx.io.interactive)
      throw new UsageError("--sweep deletes resources in AWS and there is no terminal to confirm on.", {
        code: "confirmation-needed",
        hint: `Run \`${run.resume} --sweep --yes\`.`,
      });
    ctx.io.info(
      [
        `Leftovers for ${run.clusterName} (${formatHourly(totalHourly(found))}):`,
        ...renderLeftovers(found),
      ].join("\n"),
    );
    if (
      !(await ctx.io.prompt.confirm({
        flag: "--yes",
        message: `Delete these ${found.length} resource(s)?`,
        default: false,
      }))
    ) {
      outcome.left = found;
      return outcome;
    }
  }
  const result = await sweepCloud(ctx.adapters.aws, run.region, found);
  for (const d of result.deleted) {
    outcome.swept.push(`${d.kind} ${d.id}`);
    run.deleted(`${d.kind} ${d.id} (swept)`);
  }
  // A security group whose ENI is still going fails now and goes on a second pass.
  let failed = result.failed;
  await waitUntil(ctx, {
    title: "Sweep: wait until the deleted leftovers are gone in AWS",
    timeoutMs: run.timeoutMs,
    lookAt: "the EC2 console (instances, network interfaces, security groups) filtered on the cluster's tags",
    resume: `${run.resume} --sweep`,
    pollMs: AWS_POLL_MS,
    check: async () => {
      const still = unexpectedLeftovers(await run.cloud(), opts.keepInfra);
      if (failed.length > 0) {
        const retry = await sweepCloud(
          ctx.adapters.aws,
          run.region,
          failed.map((f) => f.item).filter((i) => still.some((s) => s.id === i.id)),
        );
        for (const d of retry.deleted) run.deleted(`${d.kind} ${d.id} (swept)`);
        failed = retry.failed;
      }
      const gone = still.filter((s) => found.some((f) => f.id === s.id));
      return {
        done: gone.length === 0,
        waitingFor: `${gone.length} swept resource(s) still in AWS: ${gone
          .slice(0, 3)
          .map((g) => `${g.kind} ${g.id} ${g.state ?? ""}`.trim())
          .join(", ")}`,
      };
    },
  }).catch((error: unknown) => {
    // The report below names what is still there; a timeout here is not a crash (Ctrl-C is).
    if (error instanceof InterruptedError) throw error;
    ctx.io.warn((error as Error).message);
  });
  outcome.sweepFailures = failed.map((f) => `${f.item.kind} ${f.item.id}: ${f.message}`);
  outcome.left = unexpectedLeftovers(await run.cloud(), opts.keepInfra);
  return outcome;
}
