import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

// `npm run bench` (README, Benchmarks) is bench/run.mjs: its index must name scripts that exist.
describe("npm run bench", () => {
  it("lists every benchmark, and each one it names exists", () => {
    const listed = spawnSync(process.execPath, [join(root, "bench", "run.mjs")], { encoding: "utf8" });
    expect(listed.status).toBe(0);
    const source = readFileSync(join(root, "bench", "run.mjs"), "utf8");
    const scripts = [...source.matchAll(/\["([\w/-]+\.(?:mjs|ts))"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThanOrEqual(10);
    for (const script of scripts) expect(existsSync(join(root, "bench", script)), script).toBe(true);
    expect(listed.stderr).toContain("status");
  });

  it("refuses an unknown name with exit 2", () => {
    const run = spawnSync(process.execPath, [join(root, "bench", "run.mjs"), "nosuch"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("No benchmark named nosuch.");
  });
});
