/**
 * Steps 8 and 9: the leftover scan through the AWS APIs and, with --sweep (after confirmation or
 * --yes), their deletion — then a re-scan until what was swept is gone (instances pass
 * shutting-down, ENIs linger), bounded by the step timeout. Steps 4 and 5 use the same sweep when
 * the controller that should have deleted something is gone.
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

/** --yes, or the user says yes at the prompt; without a terminal, --yes is required. */
export async function confirmSweep(run: StepRun, items: readonly Leftover[]): Promise<boolean> {
  const { ctx } = run;
  if (ctx.globals.yes) return true;
  if (!ctx.io.interactive)
    throw new UsageError("--sweep deletes resources in AWS and there is no terminal to confirm on.", {
      code: "confirmation-needed",
      hint: `Run \`${run.resume} --sweep --yes\`.`,
    });
  ctx.io.info(
    [
      `To delete in AWS for ${run.clusterName} (${formatHourly(totalHourly(items))}):`,
      ...renderLeftovers(items),
    ].join("\n"),
  );
  return ctx.io.prompt.confirm({
    flag: "--yes",
    message: `Delete these ${items.length} resource(s)?`,
    default: false,
  });
}

/** Deletes `items`, then waits (on AWS describe calls) until they are gone; returns what failed. */
export async function sweepAndWait(run: StepRun, items: readonly Leftover[]): Promise<string[]> {
  const { ctx } = run;
  const result = await sweepCloud(ctx.adapters.aws, run.region, items);
  for (const d of result.deleted) run.deleted(`${d.kind} ${d.id} (swept)`);
  // A security group whose ENI is still going fails now and is retried while we wait.
  let failed = result.failed;
  await waitUntil(ctx, {
    title: "Sweep: wait until the deleted resources are gone in AWS",
    timeoutMs: run.timeoutMs,
    lookAt:
      "the EC2 console (instances, load balancers, network interfaces, security groups) filtered on the cluster's tags",
    resume: `${run.resume} --sweep`,
    pollMs: AWS_POLL_MS,
    check: async () => {
      const now = await run.cloud();
      const still = now.filter((s) => items.some((i) => i.id === s.id));
      if (failed.length > 0) {
        const retry = await sweepCloud(
          ctx.adapters.aws,
          run.region,
          failed.map((f) => f.item).filter((i) => still.some((s) => s.id === i.id)),
        );
        for (const d of retry.deleted) run.deleted(`${d.kind} ${d.id} (swept)`);
        failed = retry.failed;
      }
      const names = still.slice(0, 3).map((g) => `${g.kind} ${g.id} ${g.state ?? ""}`.trim());
      return {
        done: still.length === 0,
        waitingFor: `${still.length} swept resource(s) still in AWS: ${names.join(", ")}`,
      };
    },
  }).catch((error: unknown) => {
    // The report names what is still there; a timeout here is not a crash (Ctrl-C is).
    if (error instanceof InterruptedError) throw error;
    ctx.io.warn((error as Error).message);
  });
  return failed.map((f) => `${f.item.kind} ${f.item.id}: ${f.message}`);
}

export async function scanAndSweep(
  run: StepRun,
  opts: { keepInfra: boolean; sweep: boolean },
): Promise<LeftoverOutcome> {
  const outcome: LeftoverOutcome = { left: [], swept: [], sweepFailures: [] };
  const found = unexpectedLeftovers(await run.cloud(), opts.keepInfra);
  if (found.length === 0 || !opts.sweep || !(await confirmSweep(run, found))) {
    outcome.left = found;
    return outcome;
  }
  outcome.sweepFailures = await sweepAndWait(run, found);
  outcome.swept = found.map((f) => `${f.kind} ${f.id}`);
  outcome.left = unexpectedLeftovers(await run.cloud(), opts.keepInfra);
  return outcome;
}
