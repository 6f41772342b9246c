#!/usr/bin/env node
// deploy-model --dry-run start-up: whole-process wall time of
// `aiplat deploy-model gemma-4b --dry-run` against a bare `node -e 0` in the same run, interleaved.
// Usage: npx tsc -p tsconfig.json && node bench/deploy-model/run.mjs [runs]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareWholeProcess } from "../lib/whole-process.mjs";

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

compareWholeProcess(cases, { runs, env, cwd: root });
