import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GpuFamily } from "../../src/core/catalog/catalog.js";
import { parseCatalog } from "../../src/core/catalog/catalog.js";
import { GPU_CARDS } from "../../src/core/fit/gpu-types.js";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { main } from "../support/sim/launch.js";
import { servingProfile } from "../support/sim/litellm/serving-model.js";

let stop: (() => Promise<void>) | undefined;
let scratch: string | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  vi.restoreAllMocks();
});

interface Level {
  label: string;
  stats: { ok: number; ttftMs: { p50: number; p90: number }; latencyMs: { p50: number } };
}

const SPEEDUP = 8;
const INPUT = 4096;
const OUTPUT = 16;

describe("npm run test-cluster -- --simulate --serving-model", () => {
  it("answers at the pace of a vLLM replica on the endpoint's GPU: past the KV cache, requests queue", async () => {
    scratch = mkdtempSync(join(tmpdir(), "aiplat-launch-serving-"));
    const envFile = join(scratch, "sim.env");
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const said: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => {
      said.push(line);
    });
    stop = await main([
      "--simulate",
      "--time-scale",
      "20",
      "--seed",
      "3",
      "--serving-model",
      "--serving-speedup",
      String(SPEEDUP),
      "--write-env",
      envFile,
      "--json",
    ]);
    expect(said.join("\n")).toContain("simulated numbers are not GPU numbers");
    const simEnv = Object.fromEntries(
      readFileSync(envFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const repo = join(scratch, "platform");
    execFileSync("git", ["clone", "--quiet", simEnv.GIT_REMOTE ?? "", repo]);
    const env = {
      ...gitTestEnv(scratch),
      PATH: process.env.PATH,
      NO_COLOR: "1",
      KUBECONFIG: simEnv.KUBECONFIG,
    };
    const deploy = await runCli(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"], {
      cwd: repo,
      env,
      clock: scaledClock(),
    });
    expect(deploy.exitCode, deploy.stderr.split("\n").slice(-8).join("\n")).toBe(0);

    const run = await runCli(
      [
        "bench",
        "gemma-4b",
        "--concurrency",
        "1,64",
        "--input-tokens",
        String(INPUT),
        "--output-tokens",
        String(OUTPUT),
        "--requests",
        "48",
        "--yes",
        "--json",
      ],
      { cwd: repo, env },
    );
    expect(run.exitCode, run.stderr.slice(-800)).toBe(0);
    const out = run.json() as unknown as { levels: Level[]; price: { nodes: string } };
    const [one, many] = out.levels as [Level, Level];
    expect([one.stats.ok, many.stats.ok]).toEqual([48, 48]);

    // One at a time, a request takes at least the model's own time: prefill, then OUTPUT steps.
    const family = out.price.nodes.slice(0, out.price.nodes.indexOf(".")) as GpuFamily;
    const shape = parseCatalog(readFileSync(join(repoRoot, "templates", "models.yaml"), "utf8")).find(
      (m) => m.name === "gemma-4b",
    );
    if (shape === undefined) throw new Error("gemma-4b is not in the catalog");
    const profile = servingProfile(GPU_CARDS[family].card, shape);
    const alone =
      (INPUT * profile.prefillMsPerToken + OUTPUT * (profile.decodeBaseMs + profile.decodePerSequenceMs)) /
      SPEEDUP;
    expect(one.stats.latencyMs.p50).toBeGreaterThanOrEqual(alone * 0.95);
    // 64 at once do not fit the KV cache: the rest wait in vLLM's queue, and TTFT shows it
    // (the instant stand-in without --serving-model has no queue at all).
    expect(Math.floor(profile.kvCacheTokens / (INPUT + OUTPUT))).toBeLessThan(64);
    expect(many.stats.ttftMs.p90).toBeGreaterThan(3 * one.stats.ttftMs.p90);
  }, 240_000);

  it("refuses a speed-up without the serving model, or of zero", async () => {
    await expect(main(["--simulate", "--serving-speedup", "2"])).rejects.toThrow(
      "--serving-speedup needs --serving-model",
    );
    await expect(main(["--simulate", "--serving-model", "--serving-speedup", "0"])).rejects.toThrow(
      "--serving-speedup must be above 0",
    );
  });
});
