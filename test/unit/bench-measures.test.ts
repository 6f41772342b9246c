import { describe, expect, it } from "vitest";
import { costOf } from "../../src/core/bench/cost.js";
import { syntheticPrompt, TOKEN_APPROXIMATION_NOTE } from "../../src/core/bench/prompts.js";
import { poissonSchedule, seededRandom } from "../../src/core/bench/schedule.js";
import { judgeSlo, SLO_PERCENTILE } from "../../src/core/bench/slo.js";
import { type LevelStats, type RequestSample, summarise } from "../../src/core/bench/stats.js";
import { bestLevel, carriedRate, type MeasuredLevel, sweepRates } from "../../src/core/bench/sweep.js";

const ok = (scheduledAt: number, firstTokenAt: number | undefined, endedAt: number, outputTokens: number) =>
  ({ scheduledAt, sentAt: scheduledAt, firstTokenAt, endedAt, outputTokens, ok: true }) as RequestSample;
const failed = (scheduledAt: number, error?: string): RequestSample => ({
  scheduledAt,
  sentAt: scheduledAt,
  endedAt: scheduledAt + 10,
  outputTokens: 0,
  ok: false,
  error,
});

describe("summarise: edge cases", () => {
  it("measures the wall time from the first scheduled send, not from 0", () => {
    // 1000 → 3000 ms: 2 s; 2 successes, 20 tokens
    const s = summarise([ok(1000, 1100, 2000, 10), ok(1500, 1600, 3000, 10)]);
    expect(s.durationMs).toBe(2000);
    expect(s.requestsPerSecond).toBe(1);
    expect(s.outputTokensPerSecond).toBe(10);
  });

  it("a success without a content token has a latency but no TTFT or TPOT", () => {
    const s = summarise([ok(0, 100, 500, 5), ok(0, undefined, 900, 0)]);
    expect(s.ttftMs).toEqual({ p50: 100, p90: 100, p99: 100, mean: 100 });
    // TPOT (500 − 100) / 4 = 100
    expect(s.tpotMs).toEqual({ p50: 100, p90: 100, p99: 100, mean: 100 });
    expect(s.latencyMs?.mean).toBe(700);
  });

  it("a success with tokens counted but no first-token time has no TPOT", () => {
    expect(summarise([ok(0, undefined, 500, 3)]).tpotMs).toBeUndefined();
  });

  it("a single output token has no time per token after the first", () => {
    const s = summarise([ok(0, 100, 100, 1), ok(0, 100, 300, 2)]);
    // only the second: (300 − 100) / 1 = 200
    expect(s.tpotMs).toEqual({ p50: 200, p90: 200, p99: 200, mean: 200 });
    expect(summarise([ok(0, 100, 100, 1)]).tpotMs).toBeUndefined();
  });

  it("counts failures by reason, 'failed' when none is given, and no success as an error", () => {
    const s = summarise([
      failed(0, "HTTP 429"),
      failed(1, "HTTP 429"),
      failed(2),
      failed(3),
      ok(4, 5, 20, 3),
    ]);
    expect(s.errors).toEqual({ "HTTP 429": 2, failed: 2 });
    expect(s).toMatchObject({ requests: 5, ok: 1, failed: 4 });
    expect(summarise([ok(0, 5, 20, 3)]).errors).toEqual({});
  });

  it("a level of no duration has no rates (not infinite ones)", () => {
    const s = summarise([ok(0, 0, 0, 4)]);
    expect(s.durationMs).toBe(0);
    expect(s.requestsPerSecond).toBe(0);
    expect(s.outputTokensPerSecond).toBe(0);
    expect(summarise([]).durationMs).toBe(0);
  });
});

describe("judgeSlo", () => {
  const stats = (over: Partial<LevelStats>): LevelStats => ({
    ...summarise([ok(0, 100, 1000, 10)]),
    ...over,
  });
  const dist = (p90: number) => ({ p50: p90, p90, p99: p90, mean: p90 });

  it("is stated at the 90th percentile", () => {
    expect(SLO_PERCENTILE).toBe("p90");
  });

  it("a level with no success never meets them", () => {
    expect(judgeSlo(summarise([failed(0), failed(1)]), { ttftMs: 1000 })).toEqual({
      met: false,
      missed: ["no request succeeded", "2 failed"],
    });
    expect(judgeSlo(summarise([]), {})).toEqual({ met: false, missed: ["no request succeeded"] });
  });

  it("a p90 equal to the objective meets it; just above misses it", () => {
    expect(judgeSlo(stats({ ttftMs: dist(500), tpotMs: dist(20) }), { ttftMs: 500, tpotMs: 20 }).met).toBe(
      true,
    );
    expect(
      judgeSlo(stats({ ttftMs: dist(500.4), tpotMs: dist(20.04) }), { ttftMs: 500, tpotMs: 20 }).missed,
    ).toEqual(["TTFT p90 500 ms > 500 ms", "TPOT p90 20.0 ms > 20 ms"]);
  });

  it("an objective not set is not judged, nor one with nothing measured", () => {
    expect(judgeSlo(stats({ ttftMs: dist(9000), tpotMs: dist(900) }), {})).toEqual({ met: true, missed: [] });
    expect(judgeSlo(stats({ ttftMs: undefined, tpotMs: undefined }), { ttftMs: 1, tpotMs: 1 })).toEqual({
      met: true,
      missed: [],
    });
  });
});

describe("sweep", () => {
  it("one rate between two is the midpoint; none when the throughput rate is not above the synchronous one", () => {
    expect(sweepRates(1, 3, 1)).toEqual([2]);
    expect(sweepRates(0, 10, 4)).toEqual([2, 4, 6, 8]);
    expect(sweepRates(5, 1, 3)).toEqual([]);
    expect(sweepRates(1, 5, 0)).toEqual([]);
  });

  const level = (mode: "rate" | "concurrency", load: number, rps: number, label = `${mode} ${load}`) =>
    ({
      label,
      mode,
      load,
      stats: { ...summarise([ok(0, 100, 1000, 10)]), requestsPerSecond: rps },
    }) as MeasuredLevel;

  it("an open-loop level carries its offered rate, a closed-loop one its measured rate", () => {
    expect(carriedRate(level("rate", 2, 1.8))).toBe(2);
    expect(carriedRate(level("concurrency", 4, 7.5))).toBe(7.5);
  });

  it("the best level is the one carrying most, the first of equals, whatever the order", () => {
    const levels = [
      level("concurrency", 1, 3, "a"),
      level("rate", 3, 2.5, "b"),
      level("concurrency", 4, 2, "c"),
    ];
    expect(bestLevel(levels, { ttftMs: 1000 })?.label).toBe("a");
    expect(bestLevel([levels[1] as MeasuredLevel, levels[0] as MeasuredLevel], { ttftMs: 1000 })?.label).toBe(
      "b",
    );
  });
});

describe("cost", () => {
  it("a level that carried nothing gives no replica count for a target", () => {
    const c = costOf({
      hourlyUsd: 1,
      replicas: 1,
      outputTokensPerSecond: 0,
      requestsPerSecond: 0,
      meanLatencyMs: 0,
      targetRequestsPerSecond: 10,
    });
    expect(c.replicasForTarget).toBeUndefined();
    expect(c.suggestedTargetOngoingRequests).toBe(1);
  });
});

describe("synthetic prompts", () => {
  it("say next to every input-token figure that lengths are approximate", () => {
    expect(TOKEN_APPROXIMATION_NOTE).toBe(
      "input lengths are approximate (≈ 4 characters per token; no tokenizer for the model offline)",
    );
  });

  it("are the request number and then words until the length is reached (4 characters a token)", () => {
    expect(syntheticPrompt(1, 0)).toBe("Request 0.");
    // 20 characters exactly: "Request 0. the while" stops there
    expect(syntheticPrompt(5, 0)).toBe("Request 0. the while");
    expect(syntheticPrompt(35, 0)).toBe(
      "Request 0. the while steady serves measure for on and request processors under platform engineers load models latency every graphics throughput",
    );
  });
});

describe("the seeded schedule", () => {
  it("is mulberry32: the published generator's first values for seeds 1 and 42", () => {
    const one = seededRandom(1);
    expect([one(), one(), one()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const fortyTwo = seededRandom(42);
    expect([fortyTwo(), fortyTwo(), fortyTwo()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it("an arrival exactly at the end of the duration is still sent", () => {
    const [first] = poissonSchedule(10, { count: 1 }, 3);
    expect(poissonSchedule(10, { durationMs: first as number }, 3)).toEqual([first]);
  });

  it("stops at the count even with a long duration, and at the duration without a count", () => {
    expect(poissonSchedule(1000, { count: 3, durationMs: 3_600_000 }, 1)).toHaveLength(3);
    expect(poissonSchedule(1000, { count: 0 }, 1)).toEqual([]);
  });
});
