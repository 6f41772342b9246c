import { afterAll, afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import { scriptedPrompter } from "../support/prompts.js";

let platform: SimPlatform | undefined;
let shared: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});
afterAll(async () => {
  await shared?.sim.stop();
});

/** One platform with gemma-1b deployed, shared by the tests that only read from it. */
async function sharedPlatform(): Promise<SimPlatform> {
  shared ??= await withModel();
  return shared;
}

async function withModel(): Promise<SimPlatform> {
  const p = await startSimPlatform();
  const deploy = await runCli(["deploy-model", "gemma-1b", "--wait", "--timeout", "8h"], {
    cwd: p.repo.dir,
    env: p.env,
    clock: scaledClock(),
  });
  expect(deploy.exitCode).toBe(0);
  return p;
}

const bench = (p: SimPlatform, argv: string[], extra: Parameters<typeof runCli>[1] = {}) =>
  runCli(["bench", ...argv], { cwd: p.repo.dir, env: p.env, ...extra });

interface BenchJson {
  ok: boolean;
  levels: {
    label: string;
    stats: { requests: number; ok: number; outputTokensPerSecond: number; requestsPerSecond: number };
  }[];
  best: string | null;
  price: { hourlyUsd: number; replicas: number; nodes: string } | null;
  cost: { usdPerMillionOutputTokens: number; replicasForTarget: number } | null;
  inputTokensApproximate: boolean;
}

describe("aiplat bench on the simulated platform", () => {
  it("measures each level through LiteLLM and prices it from the endpoint's GPU node", async () => {
    const platform = await sharedPlatform();
    const run = await bench(platform, [
      "gemma-1b",
      "--concurrency",
      "1,2",
      "--requests",
      "4",
      "--output-tokens",
      "8",
      "--target-rps",
      "10",
      "--yes",
      "--json",
      "--debug",
    ]);
    expect(run.exitCode).toBe(0);
    const out = run.json() as unknown as BenchJson;
    expect(out.levels.map((l) => [l.label, l.stats.requests, l.stats.ok])).toEqual([
      ["concurrency 1", 4, 4],
      ["concurrency 2", 4, 4],
    ]);
    expect(out.inputTokensApproximate).toBe(true);
    expect(out.price?.replicas).toBe(1);
    expect(out.price?.nodes).toMatch(/^g\d\w*\.\w+ × 1$/);
    // $ per million output tokens follows from the node's price and the best level's throughput
    const best = out.levels.find((l) => l.label === out.best);
    expect(best).toBeDefined();
    const expected = ((out.price?.hourlyUsd ?? 0) / ((best?.stats.outputTokensPerSecond ?? 1) * 3600)) * 1e6;
    expect(out.cost?.usdPerMillionOutputTokens).toBeCloseTo(expected, 6);
    expect(out.cost?.replicasForTarget).toBeGreaterThanOrEqual(1);
    // the key went only into the Authorization header
    expect(`${run.stdout}${run.stderr}`).not.toContain(platform.sim.litellm.masterKey);
  }, 90_000);

  it("prints a table and the verdict for people, and CSV for spreadsheets", async () => {
    const platform = await sharedPlatform();
    const human = await bench(platform, ["gemma-1b", "--concurrency", "1", "--requests", "2", "--yes"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^level\s+ok\s+failed\s+TTFT p50\/p90\/p99 ms/m);
    expect(human.stdout).toContain("concurrency 1");
    expect(human.stdout).toMatch(
      /Best level meeting the SLOs \(TTFT p90 ≤ 1000 ms, no failures\): concurrency 1/,
    );
    expect(human.stdout).toMatch(/Cost: \$\d+\.\d\d per million output tokens at \$\d+\.\d\d\/h/);
    expect(human.stdout).toContain("input lengths are approximate");
    const csv = await bench(platform, ["gemma-1b", "--rate", "5", "--requests", "3", "--yes", "--csv"]);
    expect(csv.exitCode).toBe(0);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^level,mode,load,requests,ok,failed,ttft_p50_ms/);
    expect(lines[1]).toMatch(/^rate 5\.00\/s,rate,5,3,3,0,/);
  }, 90_000);

  it("sends nothing without --yes when it cannot ask, for an unknown model, or on bad options", async () => {
    const platform = await sharedPlatform();
    // A failure queued for the next chat request: it is still there at the end only if no refused
    // run sent one.
    platform.sim.litellm.failNext(1, 500);
    const noYes = await bench(platform, ["gemma-1b", "--requests", "2"]);
    expect(noYes.exitCode).toBe(2);
    expect(noYes.stderr).toContain("pass --yes");
    const unknown = await bench(platform, ["llama-9", "--yes"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("No model named llama-9 is registered in LiteLLM");
    expect(unknown.stderr).toContain("Registered: gemma-1b");
    for (const [flag, value, words] of [
      ["--concurrency", "0", "--concurrency must be a whole number from 1 to 1024"],
      ["--rate", "fast", "--rate must be a number above 0"],
      ["--requests", "1000000", "--requests must be a whole number from 1 to 100000"],
      ["--duration", "3h", "--duration must be a duration from 1s to 60m"],
      ["--slo-ttft", "soon", "--slo-ttft must be a duration"],
    ] as const) {
      const bad = await bench(platform, ["gemma-1b", flag, value, "--yes"]);
      expect(bad.exitCode, `${flag} ${value}`).toBe(2);
      expect(bad.stderr).toContain(words);
    }
    const both = await bench(platform, ["gemma-1b", "--rate", "1", "--sweep", "--yes"]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("Choose one of --concurrency, --rate and --sweep");
    const probe = await bench(platform, [
      "gemma-1b",
      "--concurrency",
      "1",
      "--requests",
      "1",
      "--yes",
      "--json",
    ]);
    expect(probe.exitCode).toBe(0);
    expect(probe.json()).toMatchObject({
      best: null,
      levels: [{ stats: { failed: 1, errors: { "HTTP 500": 1 } } }],
    });
  }, 90_000);

  it("on a terminal asks first, saying how much it will send: no sends nothing, yes runs", async () => {
    const platform = await sharedPlatform();
    const argv = ["gemma-1b", "--concurrency", "1", "--requests", "2"];
    const before = platform.sim.litellm.chats().length;
    const declined = scriptedPrompter([false]);
    const no = await bench(platform, argv, { isTTY: true, prompter: declined });
    expect(no.exitCode).toBe(130);
    expect(declined.asked.map((q) => [q.kind, q.flag])).toEqual([["confirm", "--yes"]]);
    expect(declined.asked[0]?.message).toMatch(/^Send .*2.* to gemma-1b\? It shares the endpoint/);
    expect(no.stderr).toContain("Nothing was sent.");
    expect(platform.sim.litellm.chats().length).toBe(before);
    const yes = await bench(platform, argv, { isTTY: true, prompter: scriptedPrompter([true]) });
    expect(yes.exitCode).toBe(0);
    expect(platform.sim.litellm.chats().length).toBe(before + 2);
  }, 90_000);

  it("Ctrl-C stops the run and reports what was measured (exit 130)", async () => {
    const platform = await sharedPlatform();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 1500);
    const run = await bench(
      platform,
      ["gemma-1b", "--concurrency", "1,2", "--duration", "60s", "--yes", "--json"],
      {
        signal: abort.signal,
      },
    );
    clearTimeout(timer);
    expect(run.exitCode).toBe(130);
    const out = run.json() as unknown as BenchJson & { interrupted: boolean; error: { code: string } };
    expect(out.interrupted).toBe(true);
    expect(out.error.code).toBe("interrupted");
    // the first level was cut short; requests cut by Ctrl-C are not counted as failures
    expect(out.levels).toHaveLength(1);
    expect(out.levels[0]?.stats.requests).toBeGreaterThan(0);
    expect(out.levels[0]?.stats.ok).toBe(out.levels[0]?.stats.requests);
  }, 90_000);

  it("on the serving model, batching shows: eight at once carry more than one at a time", async () => {
    platform = await startSimPlatform({ servingModel: { speedup: 2 } });
    const deploy = await runCli(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"], {
      cwd: platform.repo.dir,
      env: platform.env,
      clock: scaledClock(),
    });
    expect(deploy.exitCode, deploy.stderr.split("\n").slice(-8).join("\n")).toBe(0);
    const run = await bench(platform, [
      "gemma-4b",
      "--concurrency",
      "1,8",
      "--input-tokens",
      "32",
      "--output-tokens",
      "8",
      "--requests",
      "16",
      "--yes",
      "--json",
    ]);
    expect(run.exitCode).toBe(0);
    const out = run.json() as unknown as BenchJson;
    expect(out.levels.map((l) => [l.label, l.stats.ok])).toEqual([
      ["concurrency 1", 16],
      ["concurrency 8", 16],
    ]);
    // (How close the rates come to theory is test/sim/bench-load.test.ts's job: here the
    // port-forward through the test API server adds its own latency to every request.)
    const [one, eight] = out.levels.map((l) => l.stats.requestsPerSecond) as [number, number];
    expect(eight).toBeGreaterThan(1.5 * one);
  }, 180_000);
});
