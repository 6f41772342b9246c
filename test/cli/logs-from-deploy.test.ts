import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("deploy-model --wait points at aiplat logs", () => {
  it("a failed image pull names the exact `aiplat logs` and `aiplat undeploy-model` commands, with the user's flags, and both run as printed", async () => {
    platform = await startSimPlatform();
    const p = platform;
    p.sim.kuberay.injectImagePullError(
      "gemma-1b",
      'failed to pull image "rayproject/ray-llm:2.53.0": not found',
    );
    const run = await runCli(["--env", "dev", "deploy-model", "gemma-1b", "--wait", "--timeout", "2h"], {
      cwd: p.repo.dir,
      env: p.env,
      clock: scaledClock(),
    });
    expect(run.exitCode).toBe(5);
    const printed = /`(aiplat logs [^`]+)`/.exec(run.stderr)?.[1];
    expect(printed).toBe("aiplat logs gemma-1b --component worker --env dev");

    const logs = await runCli((printed ?? "").split(" ").slice(1), { cwd: p.repo.dir, env: p.env });
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(
      /\[gemma-1b-raycluster-[\w-]+-worker-[\w-]+\] ! not started: (ImagePullBackOff|ErrImagePull)/,
    );
    expect(logs.stdout).toContain("rayproject/ray-llm:2.53.0");

    // The other way out the failure names is a command that runs as printed, with the user's flags.
    expect(run.stderr).not.toContain("…");
    const remove = /`(aiplat undeploy-model [^`]+)`/.exec(run.stderr)?.[1];
    expect(remove).toBe("aiplat undeploy-model gemma-1b --env dev");
    const removed = await runCli((remove ?? "").split(" ").slice(1), { cwd: p.repo.dir, env: p.env });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(p.repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("undeploy gemma-1b");
  }, 120_000);
});
