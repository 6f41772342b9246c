/**
 * How fast the `deploy-model --wait` tree reacts to cluster changes: the simulated cluster rolls
 * gemma-4b out while the CLI follows it in process; every store event of a followed kind is
 * timestamped, and so is every progress write on stderr. Reported: the delay from a state change
 * to the first progress write after it (writes more than 1 s after the change, caused by LiteLLM
 * polling rather than a watch, are not counted).
 * Usage: npx tsx bench/deploy-model/wait-reaction.ts [rollouts]
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "yaml";
import { main } from "../../src/cli/main.js";
import { scaledClock } from "../../test/fixtures/deploy/scaled-clock.js";
import type { KubeObject } from "../../test/support/kube/index.js";
import { startSimulatedCluster } from "../../test/support/sim/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** A platform repository with a bare origin and a simulated cluster following it (no vitest helpers). */
async function startPlatform(seed: number) {
  const base = mkdtempSync(join(tmpdir(), "aiplat-bench-"));
  const remote = join(base, "origin.git");
  const dir = join(base, "work");
  const env = { ...GIT_ENV, HOME: base };
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, stdio: "pipe" });
  mkdirSync(remote);
  git(remote, "init", "-q", "--bare", "--initial-branch=main");
  mkdirSync(dir);
  git(dir, "init", "-q", "--initial-branch=main");
  for (const name of ["argocd", "platform", "templates"])
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  mkdirSync(join(dir, "terraform"));
  writeFileSync(join(dir, "terraform", ".keep"), "");
  writeFileSync(join(dir, ".gitignore"), ".aiplat/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  git(dir, "remote", "add", "origin", remote);
  git(dir, "push", "-q", "-u", "origin", "main");
  const sim = await startSimulatedCluster({ seed });
  for (const file of readdirSync(join(dir, "argocd")).filter((f) => f.endsWith(".yaml"))) {
    const text = readFileSync(join(dir, "argocd", file), "utf8").replaceAll(
      "https://example.invalid/set-by-aiplat-init.git",
      `file://${remote}`,
    );
    sim.kube.store.apply(parse(text) as KubeObject, { fieldManager: "bench", force: true });
  }
  await sim.settle();
  return {
    dir,
    sim,
    env: { ...env, PATH: process.env.PATH, NO_COLOR: "1", KUBECONFIG: sim.kubeconfigPath },
    cleanup: async () => {
      await sim.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

// The objects the follower watches, narrowed as it narrows them (other objects' changes would
// count writes they did not cause).
const KINDS = [
  {
    ref: { apiVersion: "argoproj.io/v1alpha1", kind: "Application" },
    opts: { namespace: "argocd", fieldSelector: "metadata.name=workloads" },
  },
  { ref: { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint" }, opts: { namespace: "inference" } },
  { ref: { apiVersion: "ray.io/v1", kind: "RayService" }, opts: { namespace: "inference" } },
  {
    ref: { apiVersion: "v1", kind: "Pod" },
    opts: { namespace: "inference", labelSelector: "ray.io/node-type=worker" },
  },
  { ref: { apiVersion: "karpenter.sh/v1", kind: "NodeClaim" }, opts: {} },
];

async function oneRollout(): Promise<number[]> {
  const platform = await startPlatform(Date.now() % 1000);
  const events: number[] = [];
  const writes: number[] = [];
  const stops = KINDS.map((k) =>
    platform.sim.kube.store.watch(k.ref, k.opts, () => events.push(performance.now())),
  );
  const stderr = new PassThrough();
  stderr.on("data", () => writes.push(performance.now()));
  const stdout = new PassThrough();
  stdout.resume();
  const code = await main(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"], {
    cwd: platform.dir,
    env: platform.env,
    isTTY: false,
    handleSignals: false,
    clock: scaledClock(),
    stdout,
    stderr,
  });
  for (const stop of stops) stop();
  await platform.cleanup();
  if (code !== 0) throw new Error(`deploy-model --wait exited ${code}`);
  const delays: number[] = [];
  // The watches' initial ADDED events come before the command even started: not reactions.
  const started = writes[0] ?? 0;
  for (const [i, t] of events.entries()) {
    if (t < started) continue;
    const next = events[i + 1] ?? Number.POSITIVE_INFINITY;
    const write = writes.find((w) => w >= t);
    if (write !== undefined && write < next && write - t <= 1000) delays.push(write - t);
  }
  return delays;
}

const rollouts = Number(process.argv[2] ?? 5);
const all: number[] = [];
for (let i = 0; i < rollouts; i++) all.push(...(await oneRollout()));
all.sort((a, b) => a - b);
if (process.env.BENCH_VERBOSE) console.log(all.map((d) => d.toFixed(0)).join(" "));
const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? Number.NaN;
console.log(`state changes followed by a progress write: ${all.length} over ${rollouts} rollouts`);
console.log(`| median (ms) | p95 (ms) | max (ms) |`);
console.log(`|---:|---:|---:|`);
console.log(
  `| ${at(0.5).toFixed(1)} | ${at(0.95).toFixed(1)} | ${(all[all.length - 1] ?? Number.NaN).toFixed(1)} |`,
);
