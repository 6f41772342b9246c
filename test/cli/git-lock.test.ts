/**
 * One aiplat at a time does git work in a repository: a second run waits, saying for what, and
 * goes on when the first is done; a lock left by a run that died blocks nobody; a lock held too
 * long is reported (exit 5) with nothing written. The clock here is the CLI's own clock seam: its
 * sleep is called only while the run waits, so the "other run" finishes inside it — no real waiting.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/adapters/git-lock.js";
import type { Clock } from "../../src/core/clock.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  const lock = join(repo.dir, ".git", LOCK_FILE);
  return { repo, env, lock };
}

function holdLock(lock: string, pid: number, command: string): void {
  writeFileSync(lock, JSON.stringify({ token: "other", pid, host: hostname(), command, since: 0 }));
}

describe("aiplat's git work in one repository is serialised", () => {
  it("waits for a running aiplat, says which, and commits once it is done", async () => {
    const { repo, env, lock } = platformRepo();
    holdLock(lock, process.pid, "deploy-model qwen3-4b");
    let waited = 0;
    const clock: Clock = {
      now: () => Date.now(),
      sleep: async () => {
        waited += 1;
        rmSync(lock); // the other run finishes
      },
    };
    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env, clock });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(waited).toBe(1);
    expect(run.stderr).toContain(
      `Waiting for aiplat deploy-model qwen3-4b (pid ${process.pid}) to finish its git work in this repository`,
    );
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("deploy gemma-1b (google/gemma-3-1b-it)");
    expect(existsSync(lock)).toBe(false);
  });

  it("a lock left by a run that died does not block", async () => {
    const { repo, env, lock } = platformRepo();
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid ?? 0;
    holdLock(lock, dead, "deploy-model ghost");
    const clock: Clock = {
      now: () => Date.now(),
      sleep: async () => {
        throw new Error("must not wait for a dead process");
      },
    };
    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env, clock });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("Waiting for");
    expect(existsSync(lock)).toBe(false);
  });

  it("gives up after the bounded wait: exit 5 naming the holder and the lock file, nothing written", async () => {
    const { repo, env, lock } = platformRepo();
    holdLock(lock, process.pid, "undeploy-model old");
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms * 600; // a minute per poll
      },
    };
    const head = repo.git("rev-parse", "HEAD");
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env, clock });
    expect(run.exitCode).toBe(5);
    const error = run.json().error as Record<string, string>;
    expect(error.code).toBe("git-lock-busy");
    expect(error.message).toContain(`aiplat undeploy-model old (pid ${process.pid}) still holds ${lock}`);
    expect(error.hint).toContain(`rm ${lock}`);
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(existsSync(lock)).toBe(true); // someone else's: left alone
    // The printed way out, run as printed; then the command goes through.
    const command = /`(rm [^`]+)`/.exec(error.hint ?? "")?.[1] ?? "";
    execFileSync("sh", ["-c", command], { cwd: repo.dir });
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
  });
});
