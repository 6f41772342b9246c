import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { repoRoot } from "../support/paths.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 150_000 });

/** Every process below `pid` (Linux /proc), with its command name. */
function descendants(pid: number): { pid: number; comm: string }[] {
  const tasks = join("/proc", String(pid), "task");
  if (!existsSync(tasks)) return [];
  const children = readdirSync(tasks).flatMap((tid) =>
    readFileSync(join(tasks, tid, "children"), "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number),
  );
  return children.flatMap((child) => {
    const comm = existsSync(`/proc/${child}/comm`) ? readFileSync(`/proc/${child}/comm`, "utf8").trim() : "";
    return [{ pid: child, comm }, ...descendants(child)];
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}

// aiplat dies mid-stage (kill -9, a closed laptop, an OOM kill): nothing records an outcome, the
// journal keeps the stage as "running". The next plain `up` must treat that as unfinished work
// and say where it resumes, like a failed or interrupted stage.
describe.skipIf(!hasTerraform())(
  `aiplat up after a crash mid-stage${skipNote("terraform", hasTerraform())}`,
  () => {
    it("finds the stage left running, says it resumes there, and finishes the run", async () => {
      const repo = makeStagesRepo();
      repo.setVar("slow_seconds", "60");
      const child = spawn(
        process.execPath,
        [join(repoRoot, "bin", "aiplat.js"), "--env", "dev", "up", "--yes"],
        {
          cwd: repo.dir,
          env: repo.env,
          stdio: "ignore",
        },
      );
      const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
      const aiplat = child.pid as number;
      const log = repo.logFile("30.eks/35.addons", "apply");
      await until(
        "terraform applying 35.addons",
        () => existsSync(log) && readFileSync(log, "utf8").includes("sleep 60"),
      );
      const terraform = descendants(aiplat).find((p) => p.comm === "terraform");
      expect(terraform, "terraform runs under aiplat").toBeDefined();

      child.kill("SIGKILL");
      await exited;
      expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("running");
      // terraform, in its own process group, outlives aiplat; stop it cleanly so it unlocks.
      process.kill(-(terraform?.pid as number), "SIGINT");
      await until("the orphaned terraform to exit", () => !alive(terraform?.pid as number));

      repo.setVar("slow_seconds", "0");
      const resumed = await repo.run(["up", "--yes"]);
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain("Resuming: the last run stopped at 30.eks/35.addons (running)");
      expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("done");
    });
  },
);
