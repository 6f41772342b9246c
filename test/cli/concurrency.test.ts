/**
 * Five deploy-model runs started at once in one clone (a script, several terminals), as separate
 * processes of the built CLI: every one exits 0, each endpoint is its own commit on the remote,
 * and the index is clean afterwards — aiplat's repository lock serialises their git work.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { spawnCli } from "../support/spawn-cli.js";

const NAMES = ["gemma-1b", "gemma-4b", "qwen3-4b", "qwen3-8b", "llama32-3b"];

describe("concurrent deploy-model runs in one clone", () => {
  it("five at once: five exits 0, five commits on the remote, a clean index", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const base = repo.remoteGit("rev-parse", "main");
    const runs = await Promise.all(
      NAMES.map((name) => spawnCli(["deploy-model", name], { cwd: repo.dir, env })),
    );
    for (const [i, run] of runs.entries()) expect(run.exitCode, `${NAMES[i]}: ${run.stderr}`).toBe(0);
    const subjects = repo.remoteGit("log", "--format=%s", `${base}..main`).split("\n");
    expect(subjects).toHaveLength(NAMES.length);
    for (const name of NAMES) expect(subjects.some((s) => s.startsWith(`deploy ${name} (`))).toBe(true);
    for (const name of NAMES) {
      const files = repo.remoteGit(
        "log",
        "--format=",
        "--name-only",
        `${base}..main`,
        "--",
        `platform/workloads/${name}.yaml`,
      );
      expect(files).toBe(`platform/workloads/${name}.yaml`);
    }
    expect(repo.git("rev-parse", "HEAD")).toBe(repo.remoteGit("rev-parse", "main"));
    expect(repo.git("status", "--porcelain")).toBe("");
  }, 240_000); // five CLI processes, one after another through the lock, on a shared CI machine
});
