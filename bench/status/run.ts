/**
 * `aiplat status --json` as a whole process against a test API server holding 200 endpoints and
 * 50 GPU nodes (test/cli/status-seed.ts: the same seeded platform the API-call bound test counts),
 * against `node -e 0` in the same run, interleaved, two warm-up rounds discarded.
 * EKS is the simulator's AWS face (AWS_ENDPOINT_URL and its access key in the child's environment),
 * so all six sections are read and status exits 0, as on a working platform.
 * Usage: npx tsc -p tsconfig.json && npx tsx bench/status/run.ts [runs]
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeInfrastructure } from "../../test/cli/status-platform.js";
import { startSeededPlatform } from "../../test/cli/status-seed.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const runs = Number(process.argv[2] ?? 11);
const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "aiplat-bench-status-"));
writeInfrastructure(dir);
for (const folder of ["platform", "argocd"]) mkdirSync(join(dir, folder));
const seeded = await startSeededPlatform(200, 50);
const kubeconfig = join(dir, "kubeconfig");
seeded.kube.kubeconfig(kubeconfig);
// Only the face's credentials and endpoint: the bench must never reach a real account.
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  NO_COLOR: "1",
  KUBECONFIG: kubeconfig,
  AWS_CONFIG_FILE: join(dir, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true",
  ...seeded.awsEnv,
};
const cases: Record<string, string[]> = {
  "node -e 0": ["-e", "0"],
  "aiplat status --json": [join(root, "bin", "aiplat.js"), "--root", dir, "status", "--json"],
};
const samples: Record<string, number[]> = { "node -e 0": [], "aiplat status --json": [] };
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
