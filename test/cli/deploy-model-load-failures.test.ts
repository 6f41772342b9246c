import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

/**
 * Issue 18 point 20 on issue 13's simulator: a gated model without a token and a model larger
 * than its GPUs fail while loading; `deploy-model --wait` stops at once with the real error, the
 * cause and the fix — and the fix, run as printed, works.
 */
let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

const TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567";

/**
 * The fixes run as printed, with deploy-model's default --timeout 30m: at 60x that is 30 s real,
 * room for a whole rollout on a loaded machine (the failing runs pass --timeout 2h at 600x).
 */
function cli(p: SimPlatform, argv: string[], stdin?: string, factor = 600) {
  return runCli(argv, {
    cwd: p.repo.dir,
    env: p.env,
    clock: scaledClock(factor),
    ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
  });
}

/** The commands the failure's hint names, in order (the text after the failed step). */
function fixCommands(stderr: string): string[] {
  const failure = stderr.slice(stderr.indexOf("Model loaded failed"));
  return [...failure.matchAll(/`(aiplat [^`]+)`/g)].map((m) => m[1] as string);
}

const AS_PRINTED = 60;
const argvOf = (command: string) => command.split(" ").slice(1);

/** --wait with room to fail, and a user flag the printed fix must carry over. */
const waitFlags = (kubeconfig: string) => ["--wait", "--timeout", "2h", "--kubeconfig", kubeconfig];

describe("deploy-model --wait when the model cannot load", () => {
  it("a gated model without inference/hf-token: HuggingFace's 401, then the token, a restart, and it answers", async () => {
    platform = await startSimPlatform({ hfToken: false });
    const kubeconfig = platform.sim.kubeconfigPath;
    const run = await cli(platform, ["deploy-model", "gemma-4b", ...waitFlags(kubeconfig)]);
    expect(run.exitCode).toBe(5);
    // Warned up front, with the user's flags…
    expect(run.stderr).toContain(
      `inference/hf-token is missing: the download will fail. Add it with \`aiplat secret hf-token --kubeconfig ${kubeconfig}\``,
    );
    // …and stopped at the load with the Hub's own words, not at the timeout.
    expect(run.stderr).toContain("Model loaded failed");
    expect(run.stderr).toContain("DEPLOY_FAILED: huggingface_hub.errors.GatedRepoError: 401 Client Error.");
    expect(run.stderr).toContain("Access to model google/gemma-3-4b-it is restricted.");
    expect(run.stderr).not.toContain("Timed out");
    expect(run.stderr).toContain("https://huggingface.co/google/gemma-3-4b-it");
    const fix = fixCommands(run.stderr);
    expect(fix).toEqual([
      `aiplat secret hf-token --stdin --kubeconfig ${kubeconfig}`,
      `aiplat undeploy-model gemma-4b --wait --kubeconfig ${kubeconfig}`,
      `aiplat deploy-model gemma-4b --wait --kubeconfig ${kubeconfig}`,
    ]);

    const [store, undeploy, redeploy] = fix as [string, string, string];
    const stored = await cli(platform, argvOf(store), `${TOKEN}\n`, AS_PRINTED);
    expect(stored.exitCode, stored.stderr).toBe(0);
    expect(`${stored.stdout}${stored.stderr}`).not.toContain(TOKEN);
    const removed = await cli(platform, argvOf(undeploy), undefined, AS_PRINTED);
    expect(removed.exitCode, removed.stderr).toBe(0);
    const again = await cli(platform, argvOf(redeploy), undefined, AS_PRINTED);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain("gemma-4b answers through LiteLLM");
  }, 120_000);

  it("a model larger than its GPU: CUDA out of memory, then the GPU count that fits, and it answers", async () => {
    platform = await startSimPlatform();
    const kubeconfig = platform.sim.kubeconfigPath;
    const run = await cli(platform, [
      "deploy-model",
      "gemma-27b",
      "--gpus",
      "1",
      "--force",
      ...waitFlags(kubeconfig),
    ]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("Model loaded failed");
    expect(run.stderr).toMatch(
      /DEPLOY_FAILED: torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate [\d.]+ (MiB|GiB)\. GPU 0 has a total capacity of [\d.]+ GiB/,
    );
    expect(run.stderr).not.toContain("Timed out");
    const fix = fixCommands(run.stderr);
    expect(fix).toHaveLength(1);
    expect(fix[0]).toMatch(
      new RegExp(`^aiplat deploy-model gemma-27b --gpus [248] --force --wait --kubeconfig ${kubeconfig}$`),
    );

    const again = await cli(platform, argvOf(fix[0] as string), undefined, AS_PRINTED);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain("gemma-27b answers through LiteLLM");
  }, 120_000);
});
