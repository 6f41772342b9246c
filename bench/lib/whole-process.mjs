// Whole-process timings for benchmarks: every case is spawned once per round, rounds interleaved
// so machine load affects all cases alike, two warm-up rounds (OS file cache) discarded, and each
// case reported as its median and its ratio to the first case (the baseline, e.g. `node -e 0`).
import { spawnSync } from "node:child_process";

/** cases: { name: [file, args, env?] }; the first case is the baseline. Prints a Markdown table. */
export function compareWholeProcess(cases, { runs = 21, env = process.env, cwd } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < runs + 2; i++) {
    for (const [name, [file, args, caseEnv]] of Object.entries(cases)) {
      const start = process.hrtime.bigint();
      const result = spawnSync(file, args, { stdio: ["ignore", "ignore", "pipe"], env: caseEnv ?? env, cwd });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
      if (i >= 2) samples[name].push(ms);
    }
  }
  const [baselineName] = Object.keys(cases);
  const baseline = median(samples[baselineName]);
  console.log(`| command | median (ms) | × ${baselineName} |`);
  console.log("|---|---:|---:|");
  for (const [name, values] of Object.entries(samples)) {
    const m = median(values);
    console.log(`| \`${name}\` | ${m.toFixed(1)} | ${(m / baseline).toFixed(2)} |`);
  }
  console.log(`\n${runs} runs each, interleaved, after 2 warm-up rounds; node ${process.version}.`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
