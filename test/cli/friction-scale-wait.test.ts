import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

// Issue 18, point 3: `aiplat scale --wait` follows the changed endpoint like deploy-model --wait.
let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("aiplat scale --wait", () => {
  it("pushes the new replica range and follows it until the endpoint answers with it", async () => {
    platform = await startSimPlatform();
    const p = platform;
    const run = (argv: string[]) => runCli(argv, { cwd: p.repo.dir, env: p.env, clock: scaledClock() });
    expect((await run(["deploy-model", "qwen3-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    const scaled = await run([
      "scale",
      "qwen3-4b",
      "--min-replicas",
      "2",
      "--max-replicas",
      "3",
      "--wait",
      "--timeout",
      "8h",
    ]);
    expect(scaled.exitCode, scaled.stderr).toBe(0);
    expect(scaled.stdout).toContain("qwen3-4b answers through LiteLLM");
    const rayService = p.sim.kube.store
      .list({ apiVersion: "ray.io/v1", kind: "RayService" }, { namespace: "inference" })
      .find((r) => r.metadata?.name === "qwen3-4b");
    const spec = rayService?.spec as
      | { rayClusterConfig: { workerGroupSpecs: { minReplicas: number; maxReplicas: number }[] } }
      | undefined;
    const worker = spec?.rayClusterConfig.workerGroupSpecs[0];
    expect(worker).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
    expect(p.repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("scale qwen3-4b to 2-3 replicas");
  }, 120_000);
});
