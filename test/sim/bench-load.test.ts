import { afterEach, describe, expect, it } from "vitest";
import { type ChatTarget, keepAliveAgent } from "../../src/adapters/load/chat-stream.js";
import { runClosedLoop, runOpenLoop } from "../../src/adapters/load/runner.js";
import { runLevels } from "../../src/cli/bench/run-levels.js";
import { planBench } from "../../src/core/bench/options.js";
import { poissonSchedule } from "../../src/core/bench/schedule.js";
import { summarise } from "../../src/core/bench/stats.js";
import { bestLevel } from "../../src/core/bench/sweep.js";
import { type ServingServer, startServingServer } from "../support/bench/serving-server.js";
import { type ServingProfile, saturationRate } from "../support/sim/litellm/serving-model.js";

const quiet = { start() {}, progress() {}, finish() {} };
let server: ServingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function target(url: string, apiKey = "sk-test-key-0001"): ChatTarget {
  return { baseUrl: url, apiKey, model: "m", agent: keepAliveAgent(url, 256), timeoutMs: 30_000 };
}

const shape = { inputTokens: 32, outputTokens: 4, promptIndexStart: 0 };

describe("the load generator", () => {
  it("sends exactly the asked number of requests and counts the streamed tokens", async () => {
    server = await startServingServer("instant", { apiKey: "sk-test-key-0001" });
    const samples = await runClosedLoop(
      target(server.url),
      4,
      { ...shape, count: 20 },
      () => {},
      new AbortController().signal,
    );
    expect(samples).toHaveLength(20);
    expect(server.requests()).toBe(20);
    expect(samples.every((s) => s.ok && s.outputTokens === 4 && s.firstTokenAt !== undefined)).toBe(true);
  });

  it("reports a wrong key as a failed request with its status", async () => {
    server = await startServingServer("instant", { apiKey: "sk-right-key-0001" });
    const samples = await runClosedLoop(
      target(server.url),
      1,
      { ...shape, count: 2 },
      () => {},
      new AbortController().signal,
    );
    expect(summarise(samples)).toMatchObject({ ok: 0, failed: 2, errors: { "HTTP 401": 2 } });
  });

  it("open loop: a 2 s stall shows in the TTFT of every request scheduled during it", async () => {
    server = await startServingServer("instant");
    const schedule = poissonSchedule(20, { durationMs: 3500 }, 3);
    const stallAt = 1000;
    const timer = setTimeout(() => server?.stall(2000), stallAt);
    const samples = await runOpenLoop(
      target(server.url),
      schedule,
      { ...shape, count: schedule.length },
      () => {},
      new AbortController().signal,
    );
    clearTimeout(timer);
    expect(samples.every((s) => s.ok)).toBe(true);
    const during = samples.filter((s) => s.scheduledAt > stallAt + 100 && s.scheduledAt < stallAt + 1900);
    expect(during.length).toBeGreaterThan(10);
    for (const s of during) {
      // held until the stall ends (≈ 3000 ms): the wait counts from the scheduled send time
      expect((s.firstTokenAt as number) - s.scheduledAt).toBeGreaterThan(
        stallAt + 2000 - s.scheduledAt - 100,
      );
    }
    const before = samples.filter((s) => s.scheduledAt < stallAt - 100);
    expect(before.length).toBeGreaterThan(5);
    expect(Math.max(...before.map((s) => (s.firstTokenAt as number) - s.scheduledAt))).toBeLessThan(500);
  });

  it("stops at once on abort and keeps what was measured", async () => {
    server = await startServingServer("instant");
    const abort = new AbortController();
    let done = 0;
    const samples = await runClosedLoop(
      target(server.url),
      2,
      { ...shape, count: 100_000 },
      (n) => {
        done = n;
        if (n === 10) abort.abort();
      },
      abort.signal,
    );
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(samples.length).toBeLessThan(20);
    expect(done).toBe(samples.length);
  });
});

describe("the sweep on the serving model", () => {
  // One sequence of 32 + 4 tokens; a KV cache for 8 of them: the batch saturates at 8.
  const profile: ServingProfile = {
    card: "test",
    prefillMsPerToken: 0.01,
    decodeBaseMs: 8,
    decodePerSequenceMs: 8,
    kvCacheTokens: 8 * 36,
    maxNumSeqs: 256,
  };

  const knee = saturationRate(profile, 32, 4); // 8 / (4 × 72 ms + 8 × 32 × 0.01 ms) ≈ 27.5/s

  it("puts the knee where theory does: beyond it the queue, and TTFT, grow", async () => {
    server = await startServingServer(profile);
    const plan = planBench({
      rate: `${(knee * 0.5).toFixed(2)},${(knee * 1.4).toFixed(2)}`,
      inputTokens: "32",
      outputTokens: "4",
      requests: "60",
    });
    const { levels } = await runLevels(target(server.url), plan, quiet, new AbortController().signal);
    const [below, beyond] = levels.map((l) => l.stats.ttftMs?.p90 ?? 0);
    expect(beyond).toBeGreaterThan(3 * (below as number));
  }, 30_000);

  it("finds the knee within one step", async () => {
    server = await startServingServer(profile);
    const plan = planBench({
      sweep: true,
      inputTokens: "32",
      outputTokens: "4",
      requests: "40",
      sloTtft: "2s",
    });
    const result = await runLevels(target(server.url), plan, quiet, new AbortController().signal);
    expect(result.levels.map((l) => l.label.split(" ")[0])).toEqual([
      "synchronous",
      "throughput",
      "rate",
      "rate",
      "rate",
      "rate",
      "rate",
    ]);
    const [sync, throughput] = result.levels.map((l) => l.stats.requestsPerSecond) as [number, number];
    // the probes measure the ends of the range where theory puts them: one request at a time takes
    // 4 steps of 16 ms; the full batch carries the knee's rate (measured ±15 %: ramp-up and -down)
    expect(sync).toBeGreaterThan((1000 / (4 * 16)) * 0.85);
    expect(sync).toBeLessThan((1000 / (4 * 16)) * 1.15);
    expect(throughput).toBeGreaterThan(knee * 0.85);
    expect(throughput).toBeLessThan(knee * 1.15);
    // every rate below the knee meets a 2 s TTFT: the best is the top rate, one step under the
    // measured throughput — within one step of the knee, up to the probe's measurement error
    const step = (throughput - sync) / 6;
    const best = bestLevel(result.levels.slice(2), plan.slo);
    expect(best?.load).toBeCloseTo(throughput - step, 6);
    expect(Math.abs(knee - (best?.load ?? 0))).toBeLessThanOrEqual(step + Math.abs(knee - throughput) + 1e-9); // float rounding
  }, 30_000);
});
