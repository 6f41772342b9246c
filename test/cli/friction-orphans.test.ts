import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

// Issue 18, point 4: a LiteLLM registration whose endpoint is gone has a way out.
let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("a model left registered in LiteLLM after its endpoint is gone", () => {
  it("models shows it with the command that removes it, and that command (the undeploy re-run) deregisters it", async () => {
    platform = await startSimPlatform();
    const p = platform;
    const run = (argv: string[], env = p.env) => runCli(argv, { cwd: p.repo.dir, env, clock: scaledClock() });
    expect((await run(["deploy-model", "gemma-1b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);

    // Undeployed while the cluster could not be reached: committed and pushed, LiteLLM untouched.
    const blind = await run(["undeploy-model", "gemma-1b"], { ...p.env, KUBECONFIG: undefined });
    expect(blind.exitCode, blind.stderr).toBe(0);
    const again = /run `(aiplat undeploy-model [^`]+)` again/.exec(blind.stderr)?.[1] ?? "";
    expect(again).toBe("aiplat undeploy-model gemma-1b");
    // ArgoCD prunes the endpoint; the registration stays.
    await p.sim.settle({ timeoutMs: 45_000 });
    expect(p.sim.litellm.registered().map((m) => m.model_name)).toContain("gemma-1b");

    const listed = await run(["models", "--json"]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.json()).toMatchObject({
      endpoints: [
        {
          name: "gemma-1b",
          inGit: false,
          inCluster: false,
          registered: true,
          orphan: { fix: "aiplat undeploy-model gemma-1b" },
        },
      ],
    });
    const table = await run(["models"]);
    expect(table.stdout).toContain("gemma-1b (LiteLLM only)");
    expect(table.stdout).toContain(
      "gemma-1b is registered in LiteLLM but has no endpoint (requests to it fail); remove it: aiplat undeploy-model gemma-1b",
    );

    // The printed command, as printed: the re-run finds no file and no endpoint and deregisters.
    const fix = await run(again.replace(/^aiplat /, "").split(" "));
    expect(fix.exitCode, fix.stderr).toBe(0);
    expect(fix.stdout).toContain("deregistered it from LiteLLM");
    expect(p.sim.litellm.registered().map((m) => m.model_name)).not.toContain("gemma-1b");
    const after = await run(["models", "--json"]);
    expect(after.json()).toMatchObject({ endpoints: [] });
  }, 120_000);
});
