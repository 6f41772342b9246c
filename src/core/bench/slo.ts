/**
 * Service-level objectives for a level: time to first token and time per output token at the
 * 90th percentile (the percentile guidellm and most serving SLOs are stated at), and no failed
 * request. A level with no successful request never meets them.
 */
import type { LevelStats } from "./stats.js";

export const SLO_PERCENTILE = "p90";

export interface Slo {
  ttftMs?: number | undefined;
  tpotMs?: number | undefined;
}

export interface SloVerdict {
  met: boolean;
  /** Why not, one phrase per objective missed (empty when met). */
  missed: string[];
}

export function judgeSlo(stats: LevelStats, slo: Slo): SloVerdict {
  const missed: string[] = [];
  if (stats.ok === 0) missed.push("no request succeeded");
  if (stats.failed > 0) missed.push(`${stats.failed} failed`);
  // An objective not set is no limit: nothing is above Infinity.
  const ttftLimit = slo.ttftMs ?? Number.POSITIVE_INFINITY;
  const tpotLimit = slo.tpotMs ?? Number.POSITIVE_INFINITY;
  if (stats.ttftMs !== undefined && stats.ttftMs.p90 > ttftLimit) {
    missed.push(`TTFT p90 ${Math.round(stats.ttftMs.p90)} ms > ${ttftLimit} ms`);
  }
  if (stats.tpotMs !== undefined && stats.tpotMs.p90 > tpotLimit) {
    missed.push(`TPOT p90 ${stats.tpotMs.p90.toFixed(1)} ms > ${tpotLimit} ms`);
  }
  return { met: missed.length === 0, missed };
}
