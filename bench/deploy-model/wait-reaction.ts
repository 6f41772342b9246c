/**
 * How fast the `deploy-model --wait` tree reacts to cluster changes: the simulated cluster rolls
 * gemma-4b out while the CLI follows it in process; every store event of a followed kind is
 * timestamped, and so is every progress write on stderr. Reported: the delay from a state change
 * to the first progress write after it, before the next change (writes more than 1 s later, and the
 * LiteLLM steps' writes, which follow HTTP polling rather than a watch, are not counted; with
 * BENCH_VERBOSE=1 every reaction over 100 ms is printed with its event and write).
 * Usage: npx tsx bench/deploy-model/wait-reaction.ts [rollouts]
 */
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.js";
import { scaledClock } from "../../test/fixtures/deploy/scaled-clock.js";
import { startBenchPlatform } from "../lib/sim-platform.js";

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
  const platform = await startBenchPlatform({ seed: Date.now() % 1000 });
  const events: number[] = [];
  const what: string[] = [];
  const writes: number[] = [];
  const texts: string[] = [];
  const stops = KINDS.map((k) =>
    platform.sim.kube.store.watch(k.ref, k.opts, (e) => {
      events.push(performance.now());
      what.push(`${e.type} ${k.ref.kind} ${e.object.metadata?.name ?? ""}`);
    }),
  );
  const stderr = new PassThrough();
  stderr.on("data", (chunk: Buffer) => {
    writes.push(performance.now());
    texts.push(chunk.toString("utf8").trim().slice(0, 140));
  });
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
    // Writes of the LiteLLM steps come from HTTP polling (LiteLLM has no watch), not from a cluster
    // change: attributing them to whatever event preceded them measured the poll, not a reaction.
    const index = writes.findIndex((w, j) => w >= t && !/LiteLLM|completion/i.test(texts[j] ?? ""));
    const write = index >= 0 ? writes[index] : undefined;
    if (write !== undefined && write < next && write - t <= 1000) {
      delays.push(write - t);
      if (process.env.BENCH_VERBOSE && write - t > 100)
        console.log(`${(write - t).toFixed(0)} ms: ${what[i]} → ${texts[index]}`);
    }
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
