#!/usr/bin/env node
// Start-up benchmark: whole-process wall time of `aiplat --help` / `--version` against a bare
// `node -e 0` measured in the same run, interleaved so machine load affects all alike.
// Usage: npm run build && node bench/startup/run.mjs [runs]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareWholeProcess } from "../lib/whole-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 21);
const bin = join(root, "bin", "aiplat.js");
const cases = {
  "node -e 0": [process.execPath, ["-e", "0"]],
  "aiplat --help": [process.execPath, [bin, "--help"]],
  "aiplat --version": [process.execPath, [bin, "--version"]],
  "aiplat doctor --help": [process.execPath, [bin, "doctor", "--help"]],
};

compareWholeProcess(cases, { runs, env: { ...process.env, NO_COLOR: "1" } });
