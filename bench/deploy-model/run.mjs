#!/usr/bin/env node
// deploy-model --dry-run start-up: whole-process wall time of
// `aiplat deploy-model gemma-4b --dry-run` against a bare `node -e 0` in the same run, interleaved.
// Usage: npx tsc -p tsconfig.json && node bench/deploy-model/run.mjs [runs]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 21);
const bin = join(root, "bin", "aiplat.js");
const env = { ...process.env, NO_COLOR: "1", KUBECONFIG: "" };
delete env.KUBECONFIG;
const cases = {
  "node -e 0": [process.execPath, ["-e", "0"]],
  "aiplat deploy-model gemma-4b --dry-run": [
    process.execPath,
    [bin, "--root", root, "deploy-model", "gemma-4b", "--dry-run"],
  ],
  "aiplat deploy-model coder --model Qwen/Qwen2.5-Coder-7B-Instruct --dry-run --json": [
    process.execPath,
    [
      bin,
      "--root",
      root,
      "deploy-model",
      "coder",
      "--model",
      "Qwen/Qwen2.5-Coder-7B-Instruct",
      "--dry-run",
      "--json",
    ],
  ],
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, [file, args]] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, { stdio: ["ignore", "ignore", "pipe"], env, cwd: root });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) samples[name].push(ms); // two warm-up rounds fill the OS file cache
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples["node -e 0"]);
console.log("| command | median (ms) | × node -e 0 |");
console.log("|---|---:|---:|");
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`| \`${name}\` | ${m.toFixed(1)} | ${(m / baseline).toFixed(2)} |`);
}
console.log(`\n${runs} runs each, interleaved, after 2 warm-up rounds; node ${process.version}.`);
