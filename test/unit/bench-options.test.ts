import { describe, expect, it } from "vitest";
import { maxRequests, planBench } from "../../src/core/bench/options.js";
import { UsageError } from "../../src/core/errors.js";

// `aiplat bench` options: the load is exactly what was asked and bounded in count and time.
function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("planBench: defaults", () => {
  it("with no options: concurrency 1, 4 and 16, 32 requests a level, 256 in, 128 out, TTFT SLO 1 s, seed 1", () => {
    expect(planBench({})).toEqual({
      mode: { kind: "concurrency", levels: [1, 4, 16] },
      inputTokens: 256,
      outputTokens: 128,
      requests: 32,
      durationMs: undefined,
      slo: { ttftMs: 1000, tpotMs: undefined },
      targetRps: undefined,
      seed: 1,
    });
  });

  it("a duration alone bounds each level by time only; both bound it by whichever comes first", () => {
    const byTime = planBench({ duration: "2m" });
    expect(byTime.requests).toBeUndefined();
    expect(byTime.durationMs).toBe(120_000);
    const both = planBench({ duration: "30s", requests: "10" });
    expect(both.requests).toBe(10);
    expect(both.durationMs).toBe(30_000);
  });
});

describe("planBench: one mode at a time", () => {
  it("refuses two modes together", () => {
    const text = "Choose one of --concurrency, --rate and --sweep.";
    expect(usageMessage(() => planBench({ concurrency: "1", rate: "2" }))).toBe(text);
    expect(usageMessage(() => planBench({ rate: "2", sweep: true }))).toBe(text);
    expect(usageMessage(() => planBench({ concurrency: "1", sweep: true }))).toBe(text);
  });

  it("--sweep: up to concurrency 64 and five rates between", () => {
    expect(planBench({ sweep: true }).mode).toEqual({ kind: "sweep", maxConcurrency: 64, rates: 5 });
    expect(planBench({ concurrency: "2", sweep: false }).mode).toEqual({ kind: "concurrency", levels: [2] });
  });

  it("--rate: levels in requests/s, sorted, each once", () => {
    expect(planBench({ rate: "2, 0.5,2,10" }).mode).toEqual({ kind: "rate", levels: [0.5, 2, 10] });
    expect(planBench({ rate: "2000" }).mode).toEqual({ kind: "rate", levels: [2000] });
  });

  it("--concurrency: levels sorted as numbers, each once", () => {
    expect(planBench({ concurrency: "16,4,1,4" }).mode).toEqual({ kind: "concurrency", levels: [1, 4, 16] });
    expect(planBench({ concurrency: " 8 " }).mode).toEqual({ kind: "concurrency", levels: [8] });
    expect(planBench({ concurrency: "1024" }).mode).toEqual({ kind: "concurrency", levels: [1024] });
  });
});

describe("planBench: refuses a load it was not asked for", () => {
  it("a concurrency must be a whole number from 1 to 1024", () => {
    for (const text of ["0", "1025", "1.5", "x1", "1x", "-2", "abc"]) {
      expect(usageMessage(() => planBench({ concurrency: text }))).toBe(
        `--concurrency must be a whole number from 1 to 1024, got "${text}".`,
      );
    }
    expect(planBench({ concurrency: "1" }).mode).toEqual({ kind: "concurrency", levels: [1] });
  });

  it("a list takes at most 32 levels and no empty item", () => {
    const levels = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(",");
    expect(usageMessage(() => planBench({ concurrency: levels(33) }))).toBe(
      "--concurrency takes at most 32 levels.",
    );
    expect(planBench({ concurrency: levels(32) }).mode).toMatchObject({ kind: "concurrency" });
    expect((planBench({ concurrency: levels(32) }).mode as { levels: number[] }).levels).toHaveLength(32);
    expect(usageMessage(() => planBench({ concurrency: "1,,4" }))).toBe(
      "--concurrency is a comma-separated list, e.g. 1,4,16.",
    );
    expect(usageMessage(() => planBench({ rate: "1, " }))).toBe(
      "--rate is a comma-separated list, e.g. 1,4,16.",
    );
  });

  it("a rate must be above 0 and at most 2000 requests/s", () => {
    for (const text of ["0", "-1", "2000.5", "abc"]) {
      expect(usageMessage(() => planBench({ rate: text }))).toBe(
        `--rate must be a number above 0 and at most 2000, got "${text}".`,
      );
    }
  });

  it("requests per level: 1 to 100000", () => {
    expect(planBench({ requests: "100000" }).requests).toBe(100_000);
    expect(planBench({ requests: " 10 " }).requests).toBe(10);
    expect(usageMessage(() => planBench({ requests: "100001" }))).toBe(
      '--requests must be a whole number from 1 to 100000, got "100001".',
    );
    expect(usageMessage(() => planBench({ requests: "0" }))).toBe(
      '--requests must be a whole number from 1 to 100000, got "0".',
    );
  });

  it("a duration from 1 s to an hour", () => {
    expect(planBench({ duration: "60m" }).durationMs).toBe(3_600_000);
    expect(planBench({ duration: "1h" }).durationMs).toBe(3_600_000);
    expect(planBench({ duration: "1s" }).durationMs).toBe(1000);
    for (const text of ["0s", "1h1s", "61m", "ten", ""]) {
      expect(usageMessage(() => planBench({ duration: text }))).toBe(
        `--duration must be a duration from 1s to 60m (e.g. 30s, 2m), got "${text}".`,
      );
    }
  });

  it("input tokens up to 128000, output tokens up to 32000", () => {
    expect(planBench({ inputTokens: "128000", outputTokens: "32000" })).toMatchObject({
      inputTokens: 128_000,
      outputTokens: 32_000,
    });
    expect(usageMessage(() => planBench({ inputTokens: "128001" }))).toBe(
      '--input-tokens must be a whole number from 1 to 128000, got "128001".',
    );
    expect(usageMessage(() => planBench({ outputTokens: "32001" }))).toBe(
      '--output-tokens must be a whole number from 1 to 32000, got "32001".',
    );
  });

  it("SLOs in ms or as a duration, above 0 and at most 10 minutes", () => {
    expect(planBench({ sloTtft: "250ms", sloTpot: "1.5ms" }).slo).toEqual({ ttftMs: 250, tpotMs: 1.5 });
    expect(planBench({ sloTtft: " 2s " }).slo.ttftMs).toBe(2000);
    expect(planBench({ sloTtft: " 250ms ", sloTpot: "1.25ms" }).slo).toEqual({ ttftMs: 250, tpotMs: 1.25 });
    expect(planBench({ sloTpot: "600000ms" }).slo.tpotMs).toBe(600_000);
    expect(planBench({ sloTpot: "10m" }).slo.tpotMs).toBe(600_000);
    expect(usageMessage(() => planBench({ sloTtft: "0ms" }))).toBe(
      '--slo-ttft must be a number above 0 and at most 600000, got "0".',
    );
    expect(usageMessage(() => planBench({ sloTpot: "600001ms" }))).toBe(
      '--slo-tpot must be a number above 0 and at most 600000, got "600001".',
    );
    expect(usageMessage(() => planBench({ sloTtft: "11m" }))).toBe(
      '--slo-ttft must be a duration from 1s to 10m (e.g. 30s, 2m), got "11m".',
    );
    expect(usageMessage(() => planBench({ sloTtft: "x250ms" }))).toBe(
      '--slo-ttft must be a duration from 1s to 10m (e.g. 30s, 2m), got "x250ms".',
    );
    expect(usageMessage(() => planBench({ sloTtft: "250msx" }))).toBe(
      '--slo-ttft must be a duration from 1s to 10m (e.g. 30s, 2m), got "250msx".',
    );
    expect(usageMessage(() => planBench({ sloTtft: "1.ms" }))).toBe(
      '--slo-ttft must be a duration from 1s to 10m (e.g. 30s, 2m), got "1.ms".',
    );
  });

  it("a target load above 0 and at most a million requests/s; a seed up to 2^31", () => {
    expect(planBench({ targetRps: "12.5", seed: "2147483648" })).toMatchObject({
      targetRps: 12.5,
      seed: 2_147_483_648,
    });
    expect(planBench({ targetRps: "1000000" }).targetRps).toBe(1_000_000);
    expect(usageMessage(() => planBench({ targetRps: "1000001" }))).toBe(
      '--target-rps must be a number above 0 and at most 1000000, got "1000001".',
    );
    expect(usageMessage(() => planBench({ targetRps: " " }))).toBe(
      '--target-rps must be a number above 0 and at most 1000000, got " ".',
    );
    expect(usageMessage(() => planBench({ seed: "2147483649" }))).toBe(
      '--seed must be a whole number from 1 to 2147483648, got "2147483649".',
    );
  });
});

describe("maxRequests: what the confirmation says before anything is sent", () => {
  it("counts the levels and bounds each by requests, time, or both", () => {
    expect(maxRequests(planBench({}))).toBe("3 levels × at most 32 requests each");
    expect(maxRequests(planBench({ concurrency: "4" }))).toBe("1 level × at most 32 requests each");
    expect(maxRequests(planBench({ rate: "1,2", duration: "90s" }))).toBe("2 levels × at most 90 s each");
    expect(maxRequests(planBench({ concurrency: "4", requests: "10", duration: "1m" }))).toBe(
      "1 level × at most 10 requests or 60 s each",
    );
  });

  it("a sweep is its two measuring levels and its rates", () => {
    expect(maxRequests(planBench({ sweep: true }))).toBe("7 levels × at most 32 requests each");
  });

  it("rounds the duration to whole seconds", () => {
    const plan = { ...planBench({ concurrency: "1" }), requests: undefined, durationMs: 1500 };
    expect(maxRequests(plan)).toBe("1 level × at most 2 s each");
  });
});
