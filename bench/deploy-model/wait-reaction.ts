/**
 * How fast the `deploy-model --wait` tree reacts to cluster changes: the simulated cluster rolls
 * gemma-4b out while the CLI follows it in process; every store event of a followed kind is
 * timestamped, and so is every progress write on stderr. Reported: the delay from a state change
 * to the first progress write after it (writes more than 1 s after the change, caused by LiteLLM
 * polling rather than a watch, are not counted).
 * Usage: npx tsx bench/deploy-model/wait-reaction.ts [rollouts]
 */
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.js";
import { scaledClock } from "../../test/fixtures/deploy/scaled-clock.js";
import { startSimPlatform } from "../../test/fixtures/deploy/sim-platform.js";

const KINDS = [
  { apiVersion: "argoproj.io/v1alpha1", kind: "Application" },
  { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint" },
  { apiVersion: "ray.io/v1", kind: "RayService" },
  { apiVersion: "v1", kind: "Pod" },
  { apiVersion: "karpenter.sh/v1", kind: "NodeClaim" },
  { apiVersion: "v1", kind: "Node" },
];

async function oneRollout(): Promise<number[]> {
  const platform = await startSimPlatform({ seed: Date.now() % 1000 });
  const events: number[] = [];
  const writes: number[] = [];
  const stops = KINDS.map((k) => platform.sim.kube.store.watch(k, {}, () => events.push(performance.now())));
  const stderr = new PassThrough();
  stderr.on("data", () => writes.push(performance.now()));
  const stdout = new PassThrough();
  stdout.resume();
  const code = await main(["deploy-model", "gemma-4b", "--wait"], {
    cwd: platform.repo.dir,
    env: platform.env,
    isTTY: false,
    handleSignals: false,
    clock: scaledClock(),
    stdout,
    stderr,
  });
  for (const stop of stops) stop();
  await platform.sim.stop();
  if (code !== 0) throw new Error(`deploy-model --wait exited ${code}`);
  const delays: number[] = [];
  for (const [i, t] of events.entries()) {
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
const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? Number.NaN;
console.log(`state changes followed by a progress write: ${all.length} over ${rollouts} rollouts`);
console.log(`| median (ms) | p95 (ms) | max (ms) |`);
console.log(`|---:|---:|---:|`);
console.log(
  `| ${at(0.5).toFixed(1)} | ${at(0.95).toFixed(1)} | ${(all[all.length - 1] ?? Number.NaN).toFixed(1)} |`,
);
