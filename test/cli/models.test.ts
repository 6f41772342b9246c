import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("aiplat models", () => {
  it("joins git, the cluster and LiteLLM, and falls back to git alone without a cluster", async () => {
    platform = await startSimPlatform();
    const { repo, env } = platform;
    const clock = scaledClock();
    expect(
      (await runCli(["deploy-model", "gemma-1b", "--wait", "--timeout", "8h"], { cwd: repo.dir, env, clock }))
        .exitCode,
    ).toBe(0);
    expect((await runCli(["deploy-model", "qwen3-8b", "--no-push"], { cwd: repo.dir, env })).exitCode).toBe(
      0,
    );

    const table = await runCli(["models"], { cwd: repo.dir, env });
    expect(table.exitCode).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+MODEL\s+GPUS\s+REPLICAS\s+STATE\s+READY\s+LITELLM\s+AGE$/);
    expect(lines.find((l) => l.startsWith("gemma-1b"))).toMatch(
      /^gemma-1b\s+google\/gemma-3-1b-it\s+1\s+1-4\s+ACTIVE\s+yes\s+yes\s+\S+$/,
    );
    expect(lines.find((l) => l.startsWith("qwen3-8b"))).toMatch(
      /^qwen3-8b\s+Qwen\/Qwen3-8B\s+1\s+1-4\s+not in cluster\s+\?\s+no\s+\S+$/,
    );

    const json = (await runCli(["models", "--json"], { cwd: repo.dir, env })).json() as {
      cluster: { reachable: boolean };
      endpoints: { name: string; ready?: boolean; registered?: boolean; inCluster?: boolean }[];
    };
    expect(json.cluster.reachable).toBe(true);
    expect(json.endpoints.map((e) => [e.name, e.inCluster, e.ready, e.registered])).toEqual([
      ["gemma-1b", true, true, true],
      ["qwen3-8b", false, undefined, false],
    ]);

    const offline = await runCli(["models"], { cwd: repo.dir, env: { ...env, KUBECONFIG: undefined } });
    expect(offline.exitCode).toBe(0);
    expect(offline.stdout).toContain("(from git only — cluster not configured");
    expect(offline.stdout).toMatch(/gemma-1b\s+google\/gemma-3-1b-it\s+1\s+1-4\s+\?\s+\?\s+\?/);
  }, 90_000);
});
