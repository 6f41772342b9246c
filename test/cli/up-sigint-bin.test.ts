import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { repoRoot } from "../support/paths.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

// The built binary with its real signal handlers (npm test builds dist/ first): what a user's
// Ctrl-C, pressed twice, does while terraform applies.
describe.skipIf(!hasTerraform())(`aiplat up, Ctrl-C twice${skipNote("terraform", hasTerraform())}`, () => {
  it("says it still waits for terraform to save its state, never kills it, and exits 130 with the resume command", async () => {
    const repo = makeStagesRepo();
    repo.setVar("slow_seconds", "60");
    const child = spawn(
      process.execPath,
      [join(repoRoot, "bin", "aiplat.js"), "--env", "dev", "up", "--yes"],
      {
        cwd: repo.dir,
        env: repo.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const log = repo.logFile("30.eks/35.addons", "apply");
    for (let i = 0; i < 900 && child.exitCode === null; i++) {
      if (existsSync(log) && readFileSync(log, "utf8").includes("sleep 60")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    // Signals do not queue: the second press counts only once the first has been handled.
    for (let i = 0; i < 100 && !stderr.includes("stopping cleanly"); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("Ctrl-C: stopping cleanly");
    expect(stderr).toContain(
      "Still waiting for running tools (terraform saves its state and releases its lock)",
    );
    expect(stderr).toContain("Resume with `aiplat up --env dev`");
    expect(existsSync(join(repo.stageDir("30.eks/35.addons"), ".terraform.tfstate.lock.info"))).toBe(false);
    expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("interrupted");
  });
});
