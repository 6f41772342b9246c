import { formatHourly, type Leftover, type MadeBy } from "../../core/destroy/leftovers.js";
import { ExternalError, isAiplatError } from "../../core/errors.js";
import { confirmSweep, sweepAndWait } from "./leftover-step.js";
import type { StepRun } from "./step-context.js";
import { type WaitSpec, waitUntil } from "./wait.js";

/**
 * The step's wait; on timeout, when what is left in AWS was made by `owner` (its controller is
 * gone or stuck): with --sweep, delete it through AWS and wait until AWS shows it gone; then
 * release the finalizers whose AWS resource is confirmed gone, and wait again for the evidence.
 * Without --sweep the timeout names the resources and the command that deletes them.
 */
export async function waitOrTakeOver(
  run: StepRun,
  owner: MadeBy,
  releaseFinalizers: ((run: StepRun, cloud: readonly Leftover[]) => Promise<number>) | undefined,
  spec: Omit<WaitSpec, "resume" | "timeoutMs">,
): Promise<void> {
  const full: WaitSpec = { ...spec, resume: run.resume, timeoutMs: run.timeoutMs };
  try {
    await waitUntil(run.ctx, full);
    return;
  } catch (error) {
    if (!(isAiplatError(error) && error.code === "destroy-timeout")) throw error;
    const theirs = (await run.cloud()).filter((l) => l.madeBy === owner && l.kind !== "eni");
    if (theirs.length > 0) {
      if (!run.sweep || !(await confirmSweep(run, theirs))) {
        throw new ExternalError(error.message, {
          code: error.code,
          details: { ...error.details, inAws: theirs.map((l) => `${l.kind} ${l.id}`) },
          hint: `${error.hint ?? ""}\nIf ${owner} is gone, nothing will delete ${theirs.map((l) => `${l.kind} ${l.name ?? l.id} (${formatHourly(l.hourlyCost)})`).join(", ")}: \`${run.resume} --sweep\` deletes them through AWS, then releases the finalizers.`,
        });
      }
      run.ctx.io.warn(
        `${owner} did not delete ${theirs.length} resource(s) in time: deleting them through AWS (--sweep).`,
      );
      await sweepAndWait(run, theirs);
    }
    if (releaseFinalizers) await releaseFinalizers(run, await run.cloud());
    await waitUntil(run.ctx, full);
  }
}
