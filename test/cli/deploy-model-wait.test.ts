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

const STEP_TITLES = [
  "Pushed",
  "ArgoCD workloads synced",
  "InferenceEndpoint accepted",
  "RayService created",
  "Worker pod scheduled",
  "GPU node launched",
  "Image pulled",
  "Model loaded",
  "Ready",
  "Registered in LiteLLM",
  "First completion answered",
];

function doneOrder(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("✔ "))
    .map((l) => STEP_TITLES.find((t) => l.slice(2).startsWith(t)) ?? l);
}

async function deploy(p: SimPlatform, argv: string[], extra: Parameters<typeof runCli>[1] = {}) {
  return runCli(["deploy-model", ...argv], { cwd: p.repo.dir, env: p.env, clock: scaledClock(), ...extra });
}

describe("deploy-model --wait on the simulated cluster", () => {
  it("reports every layer in order, with the reasons on the way, until LiteLLM answers", async () => {
    platform = await startSimPlatform();
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "8h", "--debug"]);
    expect(run.exitCode).toBe(0);
    // The master key was read from the cluster and used, but never printed, even with --debug.
    expect(run.stderr).toContain("LiteLLM reached through http://127.0.0.1:");
    expect(`${run.stdout}${run.stderr}`).not.toContain(platform.sim.litellm.masterKey);
    // Gemma is gated; the simulated cluster holds inference/hf-token as after `aiplat secret
    // hf-token` (without it the load fails: deploy-model-load-failures.test.ts).
    expect(run.stderr).not.toContain("inference/hf-token is missing");
    expect(doneOrder(run.stderr)).toEqual(STEP_TITLES);
    // The reasons a user sees while it is not done yet.
    expect(run.stderr).toContain("FailedScheduling");
    expect(run.stderr).toMatch(/NodeClaim gpu-inference-\w+ \(g\d\w*\.\w+\) launching/);
    expect(run.stderr).toMatch(/✔ GPU node launched — g\d\w*\.\w+ /);
    expect(run.stderr).toMatch(/✔ First completion answered — time to first token \d+ ms/);
    expect(run.stdout).toContain("gemma-4b answers through LiteLLM");
    // The "Try it" line is a command that works, run as printed (with --prompt, not interactive).
    const tryIt = /Try it: aiplat (.+)$/m.exec(run.stdout)?.[1];
    expect(tryIt).toMatch(/^chat gemma-4b\b/);
    const chat = await runCli([...(tryIt ?? "").split(" "), "--prompt", "Hello!"], {
      cwd: platform.repo.dir,
      env: platform.env,
    });
    expect(chat.exitCode, chat.stderr).toBe(0);
    expect(chat.stdout).toContain("Hello from gemma-4b");
    expect(gpuNodes(platform.sim)).toHaveLength(1);
    expect(platform.sim.litellm.registered().map((m) => m.model_name)).toContain("gemma-4b");
  }, 90_000);

  it("--json reports the steps and time to first token; an unchanged endpoint is only followed", async () => {
    platform = await startSimPlatform();
    expect((await deploy(platform, ["gemma-1b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    const head = platform.repo.git("rev-parse", "HEAD");
    const again = await deploy(platform, ["gemma-1b", "--wait", "--timeout", "8h", "--json"]);
    expect(again.exitCode).toBe(0);
    const out = again.json() as {
      status: string;
      rollout: { id: string; state: string }[];
      timeToFirstTokenMs: number;
    };
    expect(out.status).toBe("unchanged");
    expect(out.rollout.map((s) => s.state)).toEqual(STEP_TITLES.map(() => "done"));
    expect(out.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(platform.repo.git("rev-parse", "HEAD")).toBe(head);
  }, 60_000);

  it("--force with new worker resources follows KubeRay's upgrade to the new RayCluster", async () => {
    platform = await startSimPlatform();
    const first = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "8h"]);
    expect(first.exitCode).toBe(0);
    const run = await deploy(platform, [
      "gemma-4b",
      "--worker-memory",
      "28Gi",
      "--force",
      "--wait",
      "--timeout",
      "8h",
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("Updated gemma-4b");
    expect(run.stderr).toContain("upgrade");
    expect(doneOrder(run.stderr)).toEqual(STEP_TITLES);
    // The steps report the new RayCluster's worker pod, not the old one that was still running.
    const scheduledPod = (stderr: string) => /✔ Worker pod scheduled — pod (\S+) on/.exec(stderr)?.[1];
    expect(scheduledPod(first.stderr)).toBeDefined();
    expect(scheduledPod(run.stderr)).toBeDefined();
    expect(scheduledPod(run.stderr)).not.toBe(scheduledPod(first.stderr));
  }, 90_000);

  it("fails fast on DEPLOY_FAILED with Ray's message", async () => {
    platform = await startSimPlatform();
    platform.sim.kuberay.injectModelLoadError("gemma-4b", "torch.OutOfMemoryError: CUDA out of memory");
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "2h"]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("Model loaded failed");
    expect(run.stderr).toContain("DEPLOY_FAILED: torch.OutOfMemoryError: CUDA out of memory");
    expect(run.stderr).not.toContain("Timed out");
    // Nothing is undone: the declaration stays committed and pushed.
    expect(platform.repo.remoteGit("log", "-1", "--format=%s", "main")).toBe(
      "deploy gemma-4b (google/gemma-3-4b-it)",
    );
  }, 60_000);

  it("fails on a capacity error that no instance type escapes, naming the error", async () => {
    platform = await startSimPlatform();
    platform.sim.karpenter.injectCapacityError("all");
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "2h"]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("GPU node launched failed");
    expect(run.stderr).toContain("InsufficientInstanceCapacity");
    expect(run.stderr).toContain("kubectl get nodeclaims");
    expect(gpuNodes(platform.sim)).toHaveLength(0);
  }, 60_000);

  it("fails when the image cannot be pulled for longer than the limit", async () => {
    platform = await startSimPlatform();
    platform.sim.kuberay.injectImagePullError("gemma-4b");
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "2h"]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("Image pulled failed");
    expect(run.stderr).toMatch(/ErrImagePull|ImagePullBackOff/);
  }, 60_000);

  it("times out naming the step and what to look at", async () => {
    platform = await startSimPlatform();
    platform.sim.karpenter.stop();
    // 1h of CLI time is 6 s real (scaledClock): room for commit, push and sync on a loaded machine;
    // the rollout stalls at scheduling all the same, since no node can come.
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "1h"]);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain('Timed out after 1h 00m at "Worker pod scheduled"');
    expect(run.stderr).toContain("FailedScheduling");
    expect(run.stderr).toContain("kubectl -n inference describe pods -l app.kubernetes.io/instance=gemma-4b");
    expect(run.stderr).toContain("aiplat deploy-model gemma-4b --wait");
  }, 60_000);

  it("Ctrl-C stops following, undoes nothing and prints how to resume (exit 130)", async () => {
    platform = await startSimPlatform();
    platform.sim.karpenter.stop(); // the rollout stalls at scheduling
    const controller = new AbortController();
    const sim = platform.sim;
    const interval = setInterval(() => {
      const pods = sim.kube.store.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "inference" });
      if (pods.length > 0) controller.abort();
    }, 5);
    const run = await deploy(platform, ["gemma-4b", "--wait", "--timeout", "10h"], {
      signal: controller.signal,
    });
    clearInterval(interval);
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain("nothing was undone");
    expect(run.stderr).toContain("aiplat deploy-model gemma-4b --wait");
    expect(existsSync(join(platform.repo.dir, "platform/workloads/gemma-4b.yaml"))).toBe(true);
    expect(
      sim.kube.store.tryGet({
        apiVersion: "kro.run/v1alpha1",
        kind: "InferenceEndpoint",
        name: "gemma-4b",
        namespace: "inference",
      }),
    ).toBeDefined();
  }, 60_000);

  it("--wait without a cluster refuses before committing anything (exit 4)", async () => {
    platform = await startSimPlatform();
    const head = platform.repo.git("rev-parse", "HEAD");
    const run = await runCli(["deploy-model", "gemma-4b", "--wait"], {
      cwd: platform.repo.dir,
      env: { ...platform.env, KUBECONFIG: undefined },
    });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain("--wait needs the cluster");
    expect(platform.repo.git("rev-parse", "HEAD")).toBe(head);
  }, 60_000);
});
