import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

// Issue 18, point 17: `aiplat models --catalog`.
function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  return { r, env: { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

interface Row {
  name: string;
  model: string;
  parametersB: number;
  gpus: number;
  gpusByFamily: Record<string, number | null>;
  maxModelLen: number;
  contextLimit: number;
  gated: boolean;
  hourlyUsd: { min: number; max: number };
}

describe("aiplat models --catalog", () => {
  it("lists every catalog model with parameters, GPUs, context, gated and $/h, as deploy-model would size it", async () => {
    const { r, env } = repo();
    const run = await runCli(["models", "--catalog", "--json"], { cwd: r.dir, env });
    expect(run.exitCode).toBe(0);
    const rows = run.json().catalog as Row[];
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.find((row) => row.name === "gemma-4b")).toMatchObject({
      model: "google/gemma-3-4b-it",
      parametersB: 4.3,
      gpus: 1,
      gpusByFamily: { g5: 1, g6: 1, g6e: 1 },
      maxModelLen: 8192,
      contextLimit: 131072,
      gated: true,
    });
    expect(rows.find((row) => row.name === "qwen3-8b")?.gated).toBe(false);

    // The price and GPU count are those deploy-model itself shows for the same name.
    for (const name of ["gemma-4b", "llama33-70b"]) {
      const dry = await runCli(["deploy-model", name, "--dry-run", "--json"], { cwd: r.dir, env });
      expect(dry.exitCode).toBe(0);
      const out = dry.json() as {
        spec: { gpuCount: number };
        fit: { hourlyUsd: { min: number; max: number } };
      };
      const row = rows.find((x) => x.name === name);
      expect(row?.gpus).toBe(out.spec.gpuCount);
      expect(row?.hourlyUsd).toEqual({ min: out.fit.hourlyUsd.min, max: out.fit.hourlyUsd.max });
    }
  });

  it("prints a table a person can read, with what each column means and the next command", async () => {
    const { r, env } = repo();
    const run = await runCli(["models", "--catalog"], { cwd: r.dir, env });
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^NAME\s+MODEL\s+PARAMS\s+GPUS\s+G5\/G6\/G6E\s+CONTEXT\s+GATED\s+\$\/H PER REPLICA$/,
    );
    expect(lines.find((l) => l.startsWith("llama33-70b "))).toMatch(
      /meta-llama\/Llama-3\.3-70B-Instruct\s+70\.6B\s+8\s+8\/8\/4\s+8k of 128k\s+yes\s+13\.35-30\.13$/,
    );
    expect(run.stdout).toContain("approximate on-demand prices");
    expect(run.stdout).toContain("Deploy one with `aiplat deploy-model <name>`.");
    // That next step works with a name from the table.
    const next = await runCli(["deploy-model", "qwen3-4b", "--dry-run"], { cwd: r.dir, env });
    expect(next.exitCode).toBe(0);
  });
});
