/**
 * `aiplat status --watch` reaction time: the whole CLI in a child process watching a test API server
 * with 200 endpoints and 50 GPU nodes (test/cli/status-seed.ts), and for each change made in the
 * server's store, the time until the child prints a screen that shows it. Two kinds of change,
 * alternating: a GPU node appears (the Node watch; LiteLLM is not read again) and an endpoint's
 * state changes (the InferenceEndpoint watch; LiteLLM is read again through the port-forward, as
 * registrations follow endpoints). The screen is redrawn after COALESCE_MS (50 ms), which counts.
 * Usage: npx tsc -p tsconfig.json && npx tsx bench/status/watch.ts [changes]
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startStatusBenchPlatform } from "./platform.js";

const changes = Number(process.argv[2] ?? 20);
const { root, dir, seeded, env } = await startStatusBenchPlatform();
const child = spawn(process.execPath, [join(root, "bin", "aiplat.js"), "--root", dir, "status", "--watch"], {
  env,
  cwd: dir,
  stdio: ["ignore", "pipe", "pipe"],
});
let out = "";
let stderr = "";
let waiter: { needle: string; resolve: () => void } | undefined;
child.stdout.on("data", (chunk: Buffer) => {
  out += chunk.toString("utf8");
  if (waiter && out.includes(waiter.needle)) {
    const w = waiter;
    waiter = undefined;
    w.resolve();
  }
});
child.stderr.on("data", (chunk: Buffer) => {
  stderr += chunk.toString("utf8");
});
/** Resolves when the child's output shows the text; fails after 10 s (a lost change). */
function seen(needle: string): Promise<void> {
  if (out.includes(needle)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not shown in 10 s: ${needle}\n${stderr}`)), 10_000);
    waiter = {
      needle,
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
    };
  });
}

const store = seeded.kube.store;
await seen("LiteLLM\n  healthy");
const samples: Record<string, number[]> = { "GPU node added": [], "endpoint state changed": [] };
for (let i = 0; i < changes; i++) {
  const start = process.hrtime.bigint();
  if (i % 2 === 0) {
    store.apply(
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: `gpu-new-${i}`,
          labels: {
            "karpenter.sh/nodepool": "gpu-inference",
            "karpenter.sh/capacity-type": "spot",
            "node.kubernetes.io/instance-type": "g6.xlarge",
          },
        },
        status: { capacity: { "nvidia.com/gpu": "1" } },
      },
      { fieldManager: "bench", force: true },
    );
    await seen(`gpu-new-${i} `);
    samples["GPU node added"]?.push(Number(process.hrtime.bigint() - start) / 1e6);
  } else {
    const endpoint = store.get({
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      namespace: "inference",
      name: "model-7",
    });
    store.updateStatus({ ...endpoint, status: { state: `STEP${i}` } }, { fieldManager: "bench" });
    await seen(`STEP${i} `);
    samples["endpoint state changed"]?.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
child.kill("SIGINT");
const exited = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
console.log("| change | median (ms) | max (ms) | n |\n|---|---:|---:|---:|");
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `| ${name} | ${quantile(values, 0.5).toFixed(1)} | ${Math.max(...values).toFixed(1)} | ${values.length} |`,
  );
}
console.log(`\nCtrl-C (SIGINT) → exit ${exited}; node ${process.version}.`);
await seeded.stop();
