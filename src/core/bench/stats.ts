/**
 * Statistics of one load level. Percentiles use linear interpolation between closest ranks (the
 * "linear" method of numpy.percentile, which vLLM's benchmark_serving and LLMPerf report), so the
 * numbers compare with theirs.
 */

/** The p-th percentile (0–100) of `values`, or undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** What was measured for one request. Times in ms, relative to the start of the level. */
export interface RequestSample {
  /** When the request should have been sent (open loop: the Poisson schedule; closed: = sentAt). */
  scheduledAt: number;
  sentAt: number;
  /** The first content token arrived (undefined: none arrived). */
  firstTokenAt?: number | undefined;
  endedAt: number;
  outputTokens: number;
  ok: boolean;
  /** Why it failed (HTTP status, in-stream error, dropped stream), for the report. */
  error?: string | undefined;
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface LevelStats {
  requests: number;
  ok: number;
  failed: number;
  /** The level's wall time in ms: first scheduled send to last answer. */
  durationMs: number;
  /** Time to first token, from the scheduled send time (no coordinated omission). */
  ttftMs?: Distribution | undefined;
  /** Time per output token after the first: (end − first token) / (tokens − 1). */
  tpotMs?: Distribution | undefined;
  /** End-to-end latency from the scheduled send time. */
  latencyMs?: Distribution | undefined;
  outputTokensPerSecond: number;
  requestsPerSecond: number;
  /** The commonest failure reasons with their counts. */
  errors: Record<string, number>;
}

function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    p50: percentile(values, 50) as number,
    p90: percentile(values, 90) as number,
    p99: percentile(values, 99) as number,
    mean,
  };
}

/**
 * Summarises a level. Latencies start at `scheduledAt`, not `sentAt`: when the client falls behind
 * its schedule (because the server is slow to take connections), that delay is the server's
 * queueing and must show, as guidellm and vLLM's benchmark do for open-loop runs.
 */
export function summarise(samples: readonly RequestSample[]): LevelStats {
  const ok = samples.filter((s) => s.ok);
  // An empty level: the min is Infinity and the max −Infinity, so its duration is 0.
  const start = Math.min(...samples.map((s) => s.scheduledAt));
  const end = Math.max(...samples.map((s) => s.endedAt));
  const durationMs = Math.max(0, end - start);
  const seconds = durationMs / 1000;
  const ttft = ok
    .filter((s) => s.firstTokenAt !== undefined)
    .map((s) => (s.firstTokenAt as number) - s.scheduledAt);
  const tpot = ok
    .filter((s) => s.firstTokenAt !== undefined && s.outputTokens > 1)
    .map((s) => (s.endedAt - (s.firstTokenAt as number)) / (s.outputTokens - 1));
  const latency = ok.map((s) => s.endedAt - s.scheduledAt);
  const outputTokens = ok.reduce((sum, s) => sum + s.outputTokens, 0);
  const errors: Record<string, number> = {};
  for (const s of samples) {
    if (s.ok) continue;
    const reason = s.error ?? "failed";
    errors[reason] = (errors[reason] ?? 0) + 1;
  }
  return {
    requests: samples.length,
    ok: ok.length,
    failed: samples.length - ok.length,
    durationMs,
    ttftMs: distribution(ttft),
    tpotMs: distribution(tpot),
    latencyMs: distribution(latency),
    outputTokensPerSecond: seconds > 0 ? outputTokens / seconds : 0,
    requestsPerSecond: seconds > 0 ? ok.length / seconds : 0,
    errors,
  };
}
