/**
 * `aiplat status --json` as a whole process against a test API server holding 200 endpoints and
 * 50 GPU nodes (test/cli/status-seed.ts: the same seeded platform the API-call bound test counts),
 * against `node -e 0` in the same run, interleaved, two warm-up rounds discarded.
 * EKS is the simulator's AWS face (AWS_ENDPOINT_URL and its access key in the child's environment),
 * so all six sections are read and status exits 0, as on a working platform.
 * Usage: npx tsc -p tsconfig.json && npx tsx bench/status/run.ts [runs]
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startStatusBenchPlatform } from "./platform.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const runs = Number(process.argv[2] ?? 11);
const FLOOR_PACKAGES = ["commander", "yaml", "ws", "@aws-sdk/client-eks", "@aws-sdk/credential-providers"];
const FLOOR = "floor: importing only status's packages";
const { root, dir, seeded, env } = await startStatusBenchPlatform();
const cases: Record<string, string[]> = {
  "node -e 0": ["-e", "0"],
  "aiplat status --json": [join(root, "bin", "aiplat.js"), "--root", dir, "status", "--json"],
  // The packages status cannot do without (commander; yaml for the kubeconfig; ws for the LiteLLM
  // forward; the EKS client and credential chain for the Cluster section), imported and nothing else.
  [FLOOR]: [join(root, "bench", "lib", "floor.mjs"), ...FLOOR_PACKAGES],
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    // Not spawnSync (bench/lib): the API server runs in this process's event loop and must answer.
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.on("exit", (status) => resolve({ status, stderr }));
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) samples[name]?.push(ms);
  }
}
const base = median(samples["node -e 0"] ?? []);
console.log("| command | median (ms) | × node -e 0 |\n|---|---:|---:|");
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`| \`${name}\` | ${m.toFixed(1)} | ${(m / base).toFixed(2)} |`);
}
console.log(`\n${runs} runs each, interleaved, after 2 warm-up rounds; node ${process.version}.`);
await seeded.stop();
