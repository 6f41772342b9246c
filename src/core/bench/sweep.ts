/**
 * The sweep, as guidellm does it (docs: "sweep" profile): measure the synchronous rate (one request
 * at a time) and the throughput rate (as many at once as allowed), then run open-loop levels at
 * rates evenly spaced between the two. The answer is the highest rate whose level meets the SLOs;
 * the rate step bounds how far that is from the true knee.
 */
import type { Slo } from "./slo.js";
import { judgeSlo } from "./slo.js";
import type { LevelStats } from "./stats.js";

/** `count` rates evenly spaced strictly between `low` and `high` (requests/s). */
export function sweepRates(low: number, high: number, count: number): number[] {
  // A count below 1 needs no test: Array.from then makes no rate.
  if (!(high > low)) return [];
  const step = (high - low) / (count + 1);
  return Array.from({ length: count }, (_, i) => low + step * (i + 1));
}

export interface MeasuredLevel {
  /** "concurrency 4" / "rate 2.00/s" — how the level was driven. */
  label: string;
  mode: "concurrency" | "rate";
  /** The concurrency or the rate in requests/s. */
  load: number;
  stats: LevelStats;
}

/**
 * How much load a level carried: the offered rate of an open-loop level (what was asked of the
 * server; its measured rate is noisy with Poisson arrivals over a few dozen requests), the measured
 * rate of a closed-loop one (which has no offered rate).
 */
export function carriedRate(level: MeasuredLevel): number {
  return level.mode === "rate" ? level.load : level.stats.requestsPerSecond;
}

/** The level with the highest carried rate that meets the SLOs, if any does. */
export function bestLevel(levels: readonly MeasuredLevel[], slo: Slo): MeasuredLevel | undefined {
  let best: MeasuredLevel | undefined;
  for (const level of levels) {
    if (!judgeSlo(level.stats, slo).met) continue;
    if (best === undefined || carriedRate(level) > carriedRate(best)) best = level;
  }
  return best;
}
