#!/usr/bin/env node
// Start-up benchmark: whole-process wall time of `aiplat --help` / `--version` against a bare
// `node -e 0` measured in the same run, interleaved so machine load affects all alike.
// `--help` is measured as users meet it from the second run on (printed from the help cache,
// src/cli/help-cache.ts) and uncached (cache directory unusable), plus one real command, so a
// faster --help cannot hide a slower command.
// Usage: npm run build && node bench/startup/run.mjs [runs]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareWholeProcess } from "../lib/whole-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 21);
const bin = join(root, "bin", "aiplat.js");
const cache = mkdtempSync(join(tmpdir(), "aiplat-bench-cache-"));
const env = { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: cache };
const uncached = { ...env, XDG_CACHE_HOME: "/dev/null/no-cache" };
const node = process.execPath;
const cases = {
  "node -e 0": [node, ["-e", "0"]],
  "aiplat --help": [node, [bin, "--help"]],
  "aiplat --version": [node, [bin, "--version"]],
  "aiplat doctor --help": [node, [bin, "doctor", "--help"]],
  "aiplat --help (uncached)": [node, [bin, "--help"], uncached],
  "aiplat completion bash": [node, [bin, "completion", "bash"]],
};

compareWholeProcess(cases, { runs, env });
