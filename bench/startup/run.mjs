#!/usr/bin/env node
// Start-up benchmark: whole-process wall time of `aiplat --help` / `--version` against a bare
// `node -e 0` measured in the same run, interleaved so machine load affects all alike.
// Usage: npm run build && node bench/startup/run.mjs [runs]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 21);
const bin = join(root, "bin", "aiplat.js");
const cases = {
  "node -e 0": [process.execPath, ["-e", "0"]],
  "aiplat --help": [process.execPath, [bin, "--help"]],
  "aiplat --version": [process.execPath, [bin, "--version"]],
  "aiplat doctor --help": [process.execPath, [bin, "doctor", "--help"]],
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, [file, args]] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    if (i >= 2) samples[name].push(ms); // two warm-up rounds fill the OS file cache
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples["node -e 0"]);
console.log(`| command | median (ms) | × node -e 0 |`);
console.log(`|---|---:|---:|`);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`| \`${name}\` | ${m.toFixed(1)} | ${(m / baseline).toFixed(2)} |`);
}
console.log(`\n${runs} runs each, interleaved, after 2 warm-up rounds; node ${process.version}.`);
