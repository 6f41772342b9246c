// `npm run bench -- <name> [args…]` runs one benchmark by name; with no name it lists them.
// Every benchmark measures whole processes against the built dist/, so build first (npm run build).
// Results go to bench/RESULTS.md by hand: each run prints its medians and ratios.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** name → [script, what it measures] */
const BENCHES = {
  startup: ["startup/run.mjs", "--help, --version and each command's start-up vs node -e 0"],
  "deploy-model": ["deploy-model/run.mjs", "deploy-model --dry-run as a whole process"],
  "deploy-wait": ["deploy-model/wait-reaction.ts", "how fast deploy-model --wait notices each step"],
  bootstrap: ["bootstrap/notice-latency.ts", "how fast bootstrap notices an Application change"],
  chat: ["chat/run.ts", "chat --prompt: time to first token through the forward, start-up, RSS"],
  status: ["status/run.ts", "status --json on 200 endpoints and 50 GPU nodes vs node -e 0"],
  "status-watch": ["status/watch.ts", "status --watch: change to redraw"],
  destroy: ["destroy/teardown.ts", "destroy --keep-infra vs the simulator's irreducible delays"],
  "load-generator": ["load-generator/run.ts", "bench's load generator against an instant server"],
  "kube-server": ["kube-server/run.ts", "the test API server's request rate"],
};

const [name, ...args] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined) {
  if (name !== undefined) console.error(`No benchmark named ${name}.`);
  console.error("Usage: npm run bench -- <name> [args…]   (after npm run build)\n");
  for (const [key, [, what]] of Object.entries(BENCHES)) console.error(`  ${key.padEnd(15)} ${what}`);
  process.exit(name === undefined ? 0 : 2);
}
const script = join(here, bench[0]);
// TypeScript benchmarks run through tsx (a dev dependency), plain ones through node.
const command = script.endsWith(".ts")
  ? [join(here, "..", "node_modules", ".bin", "tsx"), script]
  : [process.execPath, script];
const result = spawnSync(command[0], [...command.slice(1), ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);
