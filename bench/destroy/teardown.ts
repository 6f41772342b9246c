/**
 * `aiplat destroy --keep-infra --yes` on the simulated cluster (one served model on a GPU node,
 * one LoadBalancer Service, the six platform Applications), timed in simulated minutes against
 * the sum of the simulator's irreducible delays for that scene. The CLI's clock runs at the
 * simulator's pace, so its waits and polls cost what they would on AWS.
 *
 * Irreducible, per step: from the first deletion aiplat asked for (the object's first watch event
 * with a deletionTimestamp, or its DELETED event) to the last piece of evidence that step waits for
 * (the last DELETED event of its kinds, the last AWS resource of its maker gone in the ledger).
 * Nothing aiplat does can make those shorter: the controllers' and AWS's delays run between them.
 * Everything else in the total is aiplat: reading reality, reacting to evidence, polling AWS.
 * --keep-infra, because real terraform's wall time is not a simulated delay.
 *
 * Usage: npx tsx bench/destroy/teardown.ts [runs] [msPerSimulatedMinute]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/main.js";
import { scaledClock } from "../../test/fixtures/deploy/scaled-clock.js";
import type { KubeObject } from "../../test/support/kube/index.js";
import type { CloudResource } from "../../test/support/sim/index.js";
import { startBenchPlatform } from "../lib/sim-platform.js";

type Step = "endpoints" | "load-balancers" | "node-pools" | "applications";

const KINDS: {
  step: Step;
  ref: { apiVersion: string; kind: string };
  request: boolean;
  pick?: (o: KubeObject) => boolean;
}[] = [
  { step: "endpoints", ref: { apiVersion: "kro.run/v1alpha1", kind: "InferenceEndpoint" }, request: true },
  { step: "endpoints", ref: { apiVersion: "ray.io/v1", kind: "RayService" }, request: false },
  {
    step: "endpoints",
    ref: { apiVersion: "v1", kind: "Pod" },
    request: false,
    pick: (o) => o.metadata?.labels?.["ray.io/cluster"] !== undefined,
  },
  {
    step: "load-balancers",
    ref: { apiVersion: "v1", kind: "Service" },
    request: true,
    pick: (o) => (o.spec as { type?: string } | undefined)?.type === "LoadBalancer",
  },
  { step: "node-pools", ref: { apiVersion: "karpenter.sh/v1", kind: "NodePool" }, request: true },
  { step: "node-pools", ref: { apiVersion: "karpenter.sh/v1", kind: "NodeClaim" }, request: false },
  { step: "node-pools", ref: { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass" }, request: false },
  { step: "applications", ref: { apiVersion: "argoproj.io/v1alpha1", kind: "Application" }, request: true },
  { step: "applications", ref: { apiVersion: "v1", kind: "PersistentVolumeClaim" }, request: false },
];

/** Which step's evidence an AWS resource is (what waits for it to go). */
function stepOf(r: CloudResource): Step | undefined {
  if (r.createdBy === "aws-load-balancer-controller") return "load-balancers";
  if (r.createdBy === "karpenter") return "node-pools";
  if (r.createdBy === "ebs-csi-driver" || r.createdBy === "ebs-csi") return "applications";
  return undefined;
}

interface Teardown {
  /** Simulated minutes of the whole command. */
  total: number;
  /** From the first deletion to the end of the last in-cluster step (steps 3 to 6). */
  waits: number;
  irreducible: number;
  byStep: Record<string, number>;
  /** Reading reality and preflight, before the first deletion; the leftover scan and report after. */
  before: number;
  after: number;
}

async function oneTeardown(msPerMinute: number): Promise<Teardown> {
  const platform = await startBenchPlatform({
    seed: 3,
    clusterName: "fx-dev",
    timeScale: msPerMinute,
    stages: true,
  });
  const { sim } = platform;
  for (const [k, v] of Object.entries(sim.aws.env)) process.env[k] = v;
  const clockStart = Date.now();
  const clock = scaledClock(60_000 / msPerMinute);
  const quiet = () => {
    const s = new PassThrough();
    s.resume();
    return s;
  };
  const run = (argv: string[]) =>
    main(["--env", "dev", ...argv], {
      cwd: platform.dir,
      env: { ...platform.env, ...sim.aws.env },
      isTTY: false,
      handleSignals: false,
      clock,
      stdout: quiet(),
      stderr: quiet(),
    });
  if ((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])) !== 0)
    throw new Error("deploy-model failed");
  sim.kube.store.apply(
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "public-chat", namespace: "ai-platform" },
      spec: {
        type: "LoadBalancer",
        selector: { "app.kubernetes.io/name": "litellm" },
        ports: [{ port: 443, targetPort: 4000 }],
      },
    },
    { fieldManager: "bench", force: true },
  );
  await sim.settle({ timeoutMs: 120_000 });

  // Simulated minutes on the simulator's own clock: a marker resource tells where minute 0 was.
  const marker = sim.ledger.create({
    kind: "iam-role",
    name: "bench-clock",
    hourlyPrice: 0,
    tags: {},
    createdBy: "bench",
  });
  const zero = Date.now() - marker.launchedAtMinute * msPerMinute;
  const minute = () => (Date.now() - zero) / msPerMinute;
  const requested = new Map<Step, number>();
  const evidence = new Map<Step, number>();
  const stops = KINDS.map((k) =>
    sim.kube.store.watch(k.ref, { resourceVersion: String(sim.kube.store.resourceVersion) }, (e) => {
      if (k.pick && !k.pick(e.object)) return;
      const now = minute();
      const deleting = e.type === "DELETED" || e.object.metadata?.deletionTimestamp !== undefined;
      if (k.request && deleting && !requested.has(k.step)) requested.set(k.step, now);
      if (e.type === "DELETED") evidence.set(k.step, Math.max(evidence.get(k.step) ?? 0, now));
    }),
  );
  const start = minute();
  const code = await run(["destroy", "--keep-infra", "--yes"]);
  const end = minute();
  for (const stop of stops) stop();
  if (code !== 0) throw new Error(`destroy exited ${code}`);
  for (const r of sim.ledger.history()) {
    const step = stepOf(r);
    if (step && r.deletedAtMinute !== undefined && r.deletedAtMinute >= start)
      evidence.set(step, Math.max(evidence.get(step) ?? 0, r.deletedAtMinute));
  }
  // When each step ended, on the simulator's clock (the journal is written in the CLI's time).
  const journal = JSON.parse(
    readFileSync(join(platform.dir, ".aiplat", "journal", "dev", "destroy.json"), "utf8"),
  ) as {
    stages: Record<string, { at: string }>;
  };
  const factor = 60_000 / msPerMinute;
  const doneAt = (id: string) => {
    const at = journal.stages[id]?.at;
    return at === undefined
      ? Number.NaN
      : (clockStart + (Date.parse(at) - clockStart) / factor - zero) / msPerMinute;
  };
  const firstRequest = Math.min(...requested.values());
  const waits = doneAt("applications") - firstRequest;
  if (process.env.BENCH_VERBOSE) {
    for (const id of Object.keys(journal.stages))
      console.log(`  ${id} done at +${(doneAt(id) - start).toFixed(2)} min`);
    for (const [step, at] of requested)
      console.log(
        `  ${step}: requested +${(at - start).toFixed(2)}, evidence +${((evidence.get(step) ?? at) - start).toFixed(2)}`,
      );
  }
  await platform.cleanup();
  const byStep: Record<string, number> = {};
  for (const [step, at] of requested) byStep[step] = Math.max(0, (evidence.get(step) ?? at) - at);
  const irreducible = Object.values(byStep).reduce((a, b) => a + b, 0);
  return {
    total: end - start,
    waits,
    irreducible,
    byStep,
    before: firstRequest - start,
    after: end - doneAt("applications"),
  };
}

const runs = Number(process.argv[2] ?? 3);
const msPerMinute = Number(process.argv[3] ?? 1000);
const results: Teardown[] = [];
for (let i = 0; i < runs; i++) {
  const r = await oneTeardown(msPerMinute);
  results.push(r);
  const steps = Object.entries(r.byStep)
    .map(([s, m]) => `${s} ${m.toFixed(2)}`)
    .join(", ");
  console.log(
    `run ${i + 1}: total ${r.total.toFixed(2)} min (before the first deletion ${r.before.toFixed(2)}, waits ${r.waits.toFixed(2)}, scan and report ${r.after.toFixed(2)}); irreducible ${r.irreducible.toFixed(2)} (${steps})`,
  );
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (minutes: number) => (minutes * msPerMinute).toFixed(0);
console.log(
  "| runs | ms per simulated minute | irreducible (min) | waits (min) | waits / irreducible | total (min) | total / irreducible | before + after, real ms |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
console.log(
  `| ${runs} | ${msPerMinute} | ${median(results.map((r) => r.irreducible)).toFixed(2)} | ${median(results.map((r) => r.waits)).toFixed(2)} | ${median(results.map((r) => r.waits / r.irreducible)).toFixed(3)} | ${median(results.map((r) => r.total)).toFixed(2)} | ${median(results.map((r) => r.total / r.irreducible)).toFixed(3)} | ${ms(median(results.map((r) => r.before + r.after)))} |`,
);
