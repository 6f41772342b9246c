import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { pointArgocdAtRemote } from "../support/argocd-remote.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { type SimulatedCluster, startSimulatedCluster } from "../support/sim/index.js";

// Issue 18, point 16: a wait under --json streams its progress as JSON lines on stderr.
let sim: SimulatedCluster | undefined;
let platform: SimPlatform | undefined;
afterEach(async () => {
  await sim?.stop();
  await platform?.sim.stop();
  sim = undefined;
  platform = undefined;
});

describe("--json progress", () => {
  it("streams every task state and detail line as JSON lines on stderr, the document alone on stdout", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd", "platform", "templates"] });
    pointArgocdAtRemote(repo);
    sim = await startSimulatedCluster({ gitRemote: repo.remote, seed: 11 });
    const result = await runCli(
      ["--kubeconfig", sim.kubeconfigPath, "--json", "bootstrap", "--timeout", "2m"],
      {
        cwd: repo.dir,
      },
    );
    // Whether the simulated apps all turn Healthy is the simulator's business; either way stdout
    // holds the one document and stderr only JSON lines.
    expect([0, 5]).toContain(result.exitCode);
    expect(result.json().ok).toBe(result.exitCode === 0);
    const events = result.stderr
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { event: string; task: string; status?: string; message?: string });
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.event === "task" || e.event === "output")).toBe(true);
    const states = events.filter((e) => e.event === "task");
    expect(states[0]?.status).toBe("running");
    expect(states.at(-1)?.status).toBe(result.exitCode === 0 ? "done" : "failed");
    expect(states.some((e) => e.status === "done")).toBe(true);
    expect(events.some((e) => e.event === "output" && e.message?.startsWith("Application "))).toBe(true);
    // Each task that starts also ends, in order.
    const running = states.filter((e) => e.status === "running").map((e) => e.task);
    expect(states.filter((e) => e.status !== "running")).toHaveLength(running.length);
  });

  it("deploy-model --wait --json streams the rollout steps, and Ctrl-C's document names the pushed commit", async () => {
    platform = await startSimPlatform();
    platform.sim.karpenter.stop(); // the rollout stalls at scheduling
    const controller = new AbortController();
    const cluster = platform.sim;
    const interval = setInterval(() => {
      const pods = cluster.kube.store.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "inference" });
      if (pods.length > 0) controller.abort();
    }, 5);
    const run = await runCli(["deploy-model", "gemma-4b", "--wait", "--timeout", "10h", "--json"], {
      cwd: platform.repo.dir,
      env: platform.env,
      clock: scaledClock(),
      signal: controller.signal,
    });
    clearInterval(interval);
    expect(run.exitCode).toBe(130);
    const pushed = platform.repo.remoteGit("rev-parse", "main");
    expect(run.json()).toMatchObject({
      ok: false,
      error: { code: "interrupted", details: { commit: pushed, pushedTo: "origin/main" } },
    });
    const events = run.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { event: string; task: string; status?: string });
    expect(events.find((e) => e.event === "task" && e.status === "done")?.task).toMatch(/^Pushed/);
    expect(events.at(-1)).toMatchObject({ event: "task", status: "failed" });
  }, 60_000);
});
