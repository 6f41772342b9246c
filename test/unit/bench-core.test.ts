import { describe, expect, it } from "vitest";
import { latencyPlot } from "../../src/cli/bench/report.js";
import { costOf } from "../../src/core/bench/cost.js";
import { approximateTokens, syntheticPrompt } from "../../src/core/bench/prompts.js";
import { poissonSchedule } from "../../src/core/bench/schedule.js";
import { judgeSlo } from "../../src/core/bench/slo.js";
import { percentile, type RequestSample, summarise } from "../../src/core/bench/stats.js";
import { bestLevel, type MeasuredLevel, sweepRates } from "../../src/core/bench/sweep.js";

// A fixed trace whose figures were computed by hand (see the comments).
const trace: RequestSample[] = [
  { scheduledAt: 0, sentAt: 0, firstTokenAt: 100, endedAt: 1000, outputTokens: 10, ok: true },
  // sent 50 ms late: the delay counts (TTFT 250, not 200)
  { scheduledAt: 250, sentAt: 300, firstTokenAt: 500, endedAt: 1400, outputTokens: 10, ok: true },
  { scheduledAt: 500, sentAt: 500, firstTokenAt: 900, endedAt: 2000, outputTokens: 12, ok: true },
  { scheduledAt: 750, sentAt: 800, endedAt: 900, outputTokens: 0, ok: false, error: "HTTP 500" },
];

describe("percentile", () => {
  it("interpolates linearly between closest ranks, as numpy.percentile does", () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe("summarise", () => {
  const s = summarise(trace);
  it("counts requests, successes and failures by reason", () => {
    expect(s).toMatchObject({ requests: 4, ok: 3, failed: 1, errors: { "HTTP 500": 1 } });
  });
  it("measures TTFT and latency from the scheduled send time", () => {
    // TTFT 100, 250, 400 → p50 250, p90 250 + 0.8 × 150 = 370, p99 250 + 0.98 × 150 = 397
    expect(s.ttftMs?.p50).toBe(250);
    expect(s.ttftMs?.p90).toBeCloseTo(370, 10);
    expect(s.ttftMs?.p99).toBeCloseTo(397, 10);
    expect(s.ttftMs?.mean).toBe(250);
    // latency 1000, 1150, 1500
    expect(s.latencyMs?.p50).toBe(1150);
  });
  it("measures time per output token after the first", () => {
    // (1000−100)/9 = (1400−500)/9 = (2000−900)/11 = 100 ms
    expect(s.tpotMs?.p50).toBeCloseTo(100, 10);
    expect(s.tpotMs?.p99).toBeCloseTo(100, 10);
  });
  it("computes rates over the level's wall time", () => {
    // 0 → 2000 ms; 32 tokens and 3 successes in 2 s
    expect(s.durationMs).toBe(2000);
    expect(s.outputTokensPerSecond).toBe(16);
    expect(s.requestsPerSecond).toBe(1.5);
  });
  it("has no distributions for an empty level", () => {
    expect(summarise([])).toMatchObject({ requests: 0, ttftMs: undefined, requestsPerSecond: 0 });
  });
});

describe("poissonSchedule", () => {
  it("is the same for the same seed and different for another", () => {
    expect(poissonSchedule(5, { count: 20 }, 1)).toEqual(poissonSchedule(5, { count: 20 }, 1));
    expect(poissonSchedule(5, { count: 20 }, 1)).not.toEqual(poissonSchedule(5, { count: 20 }, 2));
  });
  it("has exponential gaps with the rate's mean", () => {
    const times = poissonSchedule(100, { count: 20_000 }, 7);
    const meanGap = (times.at(-1) as number) / times.length;
    expect(meanGap).toBeGreaterThan(9.7);
    expect(meanGap).toBeLessThan(10.3);
    // An exponential distribution's standard deviation equals its mean.
    const gaps = times.map((t, i) => t - (i === 0 ? 0 : (times[i - 1] as number)));
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - meanGap) ** 2, 0) / gaps.length);
    expect(sd / meanGap).toBeGreaterThan(0.95);
    expect(sd / meanGap).toBeLessThan(1.05);
  });
  it("stops at the count or the duration, whichever comes first", () => {
    expect(poissonSchedule(10, { count: 5, durationMs: 60_000 }, 1)).toHaveLength(5);
    const byTime = poissonSchedule(10, { durationMs: 2000 }, 1);
    expect(byTime.every((t) => t <= 2000)).toBe(true);
    expect(byTime.length).toBeGreaterThan(5);
    expect(() => poissonSchedule(0, { count: 1 }, 1)).toThrow(/above 0/);
    expect(() => poissonSchedule(1, {}, 1)).toThrow(/count or a duration/);
  });
});

describe("SLOs and the sweep", () => {
  const s = summarise(trace);
  it("names every objective missed", () => {
    expect(judgeSlo(s, { ttftMs: 300, tpotMs: 50 }).missed).toEqual([
      "1 failed",
      "TTFT p90 370 ms > 300 ms",
      "TPOT p90 100.0 ms > 50 ms",
    ]);
    const clean = summarise(trace.slice(0, 3));
    expect(judgeSlo(clean, { ttftMs: 400, tpotMs: 100 })).toEqual({ met: true, missed: [] });
  });
  it("spaces rates evenly between the synchronous and the throughput rate", () => {
    expect(sweepRates(1, 5, 3)).toEqual([2, 3, 4]);
    expect(sweepRates(5, 5, 3)).toEqual([]);
  });
  it("picks the fastest level that meets the SLOs", () => {
    const level = (load: number, rps: number, ttft: number) => ({
      label: `rate ${load}`,
      mode: "rate" as const,
      load,
      stats: {
        ...summarise(trace.slice(0, 3)),
        requestsPerSecond: rps,
        ttftMs: { p50: ttft, p90: ttft, p99: ttft, mean: ttft },
      },
    });
    const levels = [level(1, 1, 100), level(2, 2, 200), level(3, 2.9, 900), level(4, 3.1, 1500)];
    expect(bestLevel(levels, { ttftMs: 1000 })?.load).toBe(3);
    expect(bestLevel(levels, { ttftMs: 50 })).toBeUndefined();
  });
});

describe("cost", () => {
  it("follows from price and throughput", () => {
    // $0.80/h ÷ (100 tokens/s × 3600) × 1e6 = $2.22 per million; 2 rps × 1.5 s = 3 in flight
    const c = costOf({
      hourlyUsd: 0.8,
      replicas: 1,
      outputTokensPerSecond: 100,
      requestsPerSecond: 2,
      meanLatencyMs: 1500,
      targetRequestsPerSecond: 10,
    });
    expect(c.usdPerMillionOutputTokens).toBeCloseTo(2.2222, 3);
    expect(c.replicasForTarget).toBe(5);
    expect(c.suggestedTargetOngoingRequests).toBe(3);
    expect(
      costOf({
        hourlyUsd: 1,
        replicas: 2,
        outputTokensPerSecond: 0,
        requestsPerSecond: 4,
        meanLatencyMs: 100,
      }),
    ).toMatchObject({
      usdPerMillionOutputTokens: undefined,
      requestsPerSecondPerReplica: 2,
      replicasForTarget: undefined,
    });
  });
});

describe("synthetic prompts", () => {
  it("are about the asked length and unique", () => {
    for (const n of [1, 64, 512, 2048]) {
      const tokens = approximateTokens(syntheticPrompt(n, 3));
      expect(Math.abs(tokens - n)).toBeLessThanOrEqual(Math.max(3, n * 0.02));
    }
    expect(syntheticPrompt(100, 1)).not.toBe(syntheticPrompt(100, 2));
  });
});

describe("the latency plot", () => {
  // Three levels: TTFT p90 grows as throughput does, the last one far beyond the knee.
  const level = (i: number, tokensPerSecond: number, ttftP90: number): MeasuredLevel => ({
    label: `level ${i}`,
    mode: "rate",
    load: i,
    stats: {
      ...summarise(trace),
      outputTokensPerSecond: tokensPerSecond,
      ttftMs: { ...summarise(trace).ttftMs!, p90: ttftP90 },
    },
  });

  it("puts each level at its throughput (across) and TTFT p90 (up), numbered in order", () => {
    const plot = latencyPlot([level(1, 100, 50), level(2, 200, 100), level(3, 400, 1000)], 9, 5);
    const rows = (plot as string).split("\n");
    // the y label is the highest TTFT; the grid is 5 rows of 9 columns after "│"
    expect(rows[0]).toMatch(/^1000 ms │/);
    const grid = rows.slice(0, 5).map((r) => r.slice(r.indexOf("│") + 1));
    // level 3: x 400/400 → column 8, y 1000/1000 → top row
    expect(grid[0]?.[8]).toBe("3");
    // level 2: x 200/400 → column 4, y 100/1000 × 4 → row 0.4 from the bottom → bottom row
    expect(grid[4]?.[4]).toBe("2");
    // level 1: x 100/400 × 8 → column 2, y 50/1000 × 4 → bottom row
    expect(grid[4]?.[2]).toBe("1");
    expect(rows.at(-1)).toContain("TTFT p90 against output tokens/s (0 … 400)");
  });

  it("is left out with fewer than two levels to compare", () => {
    expect(latencyPlot([level(1, 100, 50)])).toBeUndefined();
  });
});
