/**
 * LiteLLM refusing the master key while `deploy-model --wait` follows: the key in
 * ai-platform/litellm-secrets was changed and LiteLLM (which reads it at start) was not restarted.
 * Asking again with the same key cannot succeed, so the step fails at once (exit 5) naming where
 * the key came from, instead of retrying until the timeout.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

const WRONG_KEY = "sk-rotated-but-litellm-not-restarted-0123";

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("deploy-model --wait when LiteLLM refuses the key", () => {
  it("fails at once at 'Registered in LiteLLM' naming the key's source, without leaking listeners", async () => {
    platform = await startSimPlatform();
    platform.sim.kube.store.apply(
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "litellm-secrets", namespace: "ai-platform" },
        data: { "master-key": Buffer.from(WRONG_KEY).toString("base64") },
      },
      { fieldManager: "test", force: true },
    );
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    const run = await runCli(["deploy-model", "gemma-1b", "--wait", "--timeout", "8h"], {
      cwd: platform.repo.dir,
      env: platform.env,
      clock: scaledClock(),
    }).finally(() => process.off("warning", onWarning));
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain(
      "LiteLLM refused the key from the secret ai-platform/litellm-secrets (key master-key) (401) on GET /v1/models.",
    );
    expect(run.stderr).toContain("kubectl -n ai-platform rollout restart deploy/litellm");
    expect(run.stderr).not.toContain("Timed out");
    expect(run.stderr).toMatch(/✖ Registered in LiteLLM .*\[FAILED: LiteLLM refused the key/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(WRONG_KEY);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  }, 90_000);
});
