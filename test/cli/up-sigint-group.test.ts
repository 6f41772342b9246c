import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { repoRoot } from "../support/paths.js";
import { hasTerraform, skipNote } from "../support/tools.js";

/** The resources of every local state (workspaces included)  under a stage, with their instance status. */
function savedResources(stage: string): string[] {
  // .terraform/terraform.tfstate is terraform's backend settings, not a state.
  const files = readdirSync(stage, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith("terraform.tfstate") && !f.startsWith(".terraform/"),
  );
  return files.flatMap((file) => {
    const state = JSON.parse(readFileSync(join(stage, file), "utf8")) as {
      resources: { type: string; name: string; instances: { status?: string }[] }[];
    };
    return state.resources.flatMap((r) =>
      r.instances.map((i) => `${r.type}.${r.name}${i.status ? ` (${i.status})` : ""}`),
    );
  });
}

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

// A terminal's Ctrl-C is not a signal to one process: the tty driver sends SIGINT to the whole
// foreground process group. A shell with job control makes each job its own group, so here the
// built binary runs as the leader of a new group and the test signals the group (kill -INT -pgid),
// exactly as the terminal would. Terraform must see one SIGINT (aiplat's forwarded one): were it in
// aiplat's group, it would get the terminal's as well, and two interrupts make terraform exit at
// once without saving its state ("Two interrupts received. Exiting immediately").
describe.skipIf(!hasTerraform())(
  `aiplat up, Ctrl-C at the terminal (the whole process group)${skipNote("terraform", hasTerraform())}`,
  () => {
    it("terraform receives exactly one SIGINT, saves its state and releases its lock; exit 130", async () => {
      const repo = makeStagesRepo();
      repo.setVar("slow_seconds", "60");
      const child = spawn(
        process.execPath,
        [join(repoRoot, "bin", "aiplat.js"), "--env", "dev", "up", "--yes"],
        { cwd: repo.dir, env: repo.env, stdio: ["ignore", "pipe", "pipe"], detached: true },
      );
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.stdout.resume();
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      const log = repo.logFile("30.eks/35.addons", "apply");
      // Wait on evidence: terraform has started the slow provisioner of 35.addons.
      for (let i = 0; i < 900 && child.exitCode === null; i++) {
        if (existsSync(log) && readFileSync(log, "utf8").includes("sleep 60")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(readFileSync(log, "utf8")).toContain("sleep 60");
      const pgid = child.pid as number;
      process.kill(-pgid, "SIGINT");

      expect(await exited).toBe(130);
      const applyLog = readFileSync(log, "utf8");
      // Terraform's own words for its first and its second interrupt (terraform 1.11).
      expect(applyLog.match(/Interrupt received/g)).toHaveLength(1);
      expect(applyLog).not.toContain("Two interrupts received");
      expect(stderr).toContain("Ctrl-C: stopping cleanly");
      expect(stderr).toContain("Resume with `aiplat up --env dev`");
      // Saved and unlocked: no lock left, the state is readable and holds what was created.
      const stage = repo.stageDir("30.eks/35.addons");
      expect(existsSync(join(stage, ".terraform.tfstate.lock.info"))).toBe(false);
      expect(savedResources(stage)).toContain("terraform_data.addons (tainted)");
      expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("interrupted");
      expect(() => process.kill(-pgid, 0)).toThrow(); // nothing of the group is left running
    });
  },
);
