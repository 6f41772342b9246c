import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { gpuNodes, type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("undeploy-model on the simulated cluster", () => {
  it("removes the file in its own commit, deregisters from LiteLLM, and --wait sees the GPU node released", async () => {
    platform = await startSimPlatform();
    const { repo, env, sim } = platform;
    const clock = scaledClock();
    expect(
      (await runCli(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"], { cwd: repo.dir, env, clock }))
        .exitCode,
    ).toBe(0);
    const node = gpuNodes(sim)[0]?.metadata?.name;
    expect(node).toBeDefined();
    expect(sim.litellm.registered().map((m) => m.model_name)).toContain("gemma-4b");

    const run = await runCli(["undeploy-model", "gemma-4b", "--wait", "--timeout", "8h", "--json"], {
      cwd: repo.dir,
      env,
      clock,
    });
    expect(run.exitCode).toBe(0);
    const out = run.json() as {
      deregistered: number;
      releasedNodes: string[];
      rollout: { id: string; state: string }[];
    };
    expect(out.deregistered).toBe(1);
    expect(out.releasedNodes).toEqual([node]);
    expect(out.rollout.map((s) => `${s.id}:${s.state}`)).toEqual([
      "pushed:done",
      "synced:done",
      "endpoint:done",
      "rayservice:done",
      "pods:done",
      "nodes:done",
    ]);
    expect(repo.git("show", "--name-status", "--format=%s", "HEAD").split("\n").filter(Boolean)).toEqual([
      "undeploy gemma-4b",
      "D\tplatform/workloads/gemma-4b.yaml",
    ]);
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("undeploy gemma-4b");
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-4b.yaml"))).toBe(false);
    expect(gpuNodes(sim)).toHaveLength(0);
    expect(sim.litellm.registered().map((m) => m.model_name)).not.toContain("gemma-4b");
    // Karpenter lets the node go once EC2 reports the instance shutting-down (no longer billed);
    // terminated follows on EC2's own schedule, which --wait rightly does not wait for.
    expect(sim.ledger.billing().filter((r) => r.kind === "instance" && r.createdBy === "karpenter")).toEqual(
      [],
    );
  }, 90_000);

  it("an endpoint that exists nowhere is an error naming `aiplat models` (exit 2)", async () => {
    platform = await startSimPlatform();
    const run = await runCli(["undeploy-model", "ghost"], { cwd: platform.repo.dir, env: platform.env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("No endpoint named ghost");
    expect(run.stderr).toContain("aiplat models");
  }, 60_000);

  it("without a cluster it still removes and pushes, and says deregistration is pending", async () => {
    platform = await startSimPlatform();
    const { repo } = platform;
    const env = { ...platform.env, KUBECONFIG: undefined };
    expect((await runCli(["deploy-model", "qwen3-4b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    const run = await runCli(["undeploy-model", "qwen3-4b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("Could not deregister qwen3-4b from LiteLLM");
    expect(run.stderr).toContain("aiplat undeploy-model qwen3-4b");
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("undeploy qwen3-4b");
  }, 60_000);
});
