/**
 * A cluster that stops answering while --wait follows it. Without this the rollout would sit on its
 * current step, silent, until the overall timeout named the wrong cause. The outage is shown on the
 * active step at once ("cluster unreachable for 10s, retrying") and, past a bound, fails it.
 */
import { formatElapsed } from "../clock.js";
import type { RolloutStep } from "./types.js";

export const DEFAULT_UNREACHABLE_MS = 2 * 60_000;

export interface Outage {
  /** When the first request failed to connect (the command's clock). */
  since: number;
  /** The connection error, e.g. "connect ECONNREFUSED 10.0.0.1:443". */
  error: string;
}

/** Progress lines change at most every 5 s, so a log without a live line is not flooded. */
const STEP_MS = 5_000;

/** The steps with the outage applied to the first step that is not done. */
export function applyOutage(
  steps: RolloutStep[],
  outage: Outage | undefined,
  now: number,
  limitMs: number,
): RolloutStep[] {
  if (!outage) return steps;
  const index = steps.findIndex((s) => s.state !== "done");
  const lasted = now - outage.since;
  return steps.map((step, i) => {
    if (i !== index) return step;
    return lasted >= limitMs
      ? {
          ...step,
          state: "failed",
          reason: `cluster unreachable for ${formatElapsed(lasted)}: ${outage.error}`,
        }
      : {
          ...step,
          reason: `cluster unreachable for ${formatElapsed(Math.floor(lasted / STEP_MS) * STEP_MS)}, retrying`,
        };
  });
}

/** Whether a step failed because of the outage (not because of what the cluster said). */
export function outageExceeded(outage: Outage | undefined, now: number, limitMs: number): boolean {
  return outage !== undefined && now - outage.since >= limitMs;
}
