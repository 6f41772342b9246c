#!/usr/bin/env node
// Mutation-test one part of src/ quickly and list what survived, file by file.
//
//   node scripts/mutate-folder.mjs <name> <glob> [<glob> …] [--concurrency N] [--report-only]
//   e.g. node scripts/mutate-folder.mjs status 'src/core/status/**/*.ts'
//
// `npm run mutate` (stryker.config.json) runs everything with the TypeScript checker and a 30 s
// timeout, which is right for the recorded score but takes most of an hour on 2 cores. This runs
// the same test set (vitest.stryker.config.ts) over the given globs without the checker (a mutant
// that would not compile runs as JavaScript, so it can only lower the score), with a 10 s timeout
// and without the incremental cache, and writes reports/stryker-<name>.json. Then it prints the
// score and every mutant that survived or that no test reached, with its line and replacement, so
// the next test to write is in front of you. `--report-only` re-reads an existing report.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const reportOnly = args.includes("--report-only");
const concurrencyAt = args.indexOf("--concurrency");
const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 1;
const positional = args.filter(
  (arg, index) => !arg.startsWith("--") && (concurrencyAt < 0 || index !== concurrencyAt + 1),
);
const [name, ...globs] = positional;
if (!name || (!reportOnly && globs.length === 0) || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write("usage: node scripts/mutate-folder.mjs <name> <glob> [<glob> …] [--concurrency N]\n");
  process.exit(2);
}

const reportFile = `reports/stryker-${name}.json`;
if (!reportOnly) {
  const base = JSON.parse(readFileSync("stryker.config.json", "utf8"));
  const config = {
    ...base,
    mutate: globs,
    checkers: [],
    concurrency,
    timeoutMS: 10000,
    incremental: false,
    reporters: ["progress-append-only", "json"],
    jsonReporter: { fileName: reportFile },
    tempDirName: `.stryker-tmp-${name}`,
  };
  mkdirSync("reports", { recursive: true });
  const configFile = `reports/stryker-${name}.config.json`;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const run = spawnSync("npx", ["stryker", "run", configFile], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const report = JSON.parse(readFileSync(reportFile, "utf8"));
const totals = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, other: 0 };
const lines = [];
for (const [file, { mutants, source }] of Object.entries(report.files).sort()) {
  const sourceLines = source.split("\n");
  for (const mutant of mutants.sort((a, b) => a.location.start.line - b.location.start.line)) {
    totals[mutant.status in totals ? mutant.status : "other"]++;
    if (mutant.status !== "Survived" && mutant.status !== "NoCoverage") continue;
    const { line, column } = mutant.location.start;
    const original = sourceLines[line - 1]?.trim().slice(0, 100) ?? "";
    const replacement = (mutant.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
    lines.push(
      `${file}:${line}:${column} ${mutant.status} ${mutant.mutatorName} → ${replacement}\n    ${original}`,
    );
  }
}
process.stdout.write(`${lines.join("\n")}\n`);
const detected = totals.Killed + totals.Timeout;
const scored = detected + totals.Survived + totals.NoCoverage;
const percent = scored === 0 ? 0 : (100 * detected) / scored;
process.stdout.write(
  `\n${name}: score ${percent.toFixed(1)} % — killed ${totals.Killed}, timeout ${totals.Timeout}, ` +
    `survived ${totals.Survived}, no coverage ${totals.NoCoverage}, ignored ${totals.Ignored}` +
    `${totals.other ? `, other ${totals.other}` : ""}\n`,
);
