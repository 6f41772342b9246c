import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function declaredRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  return { repo, env };
}

describe("undeploy-model without a cluster", () => {
  it("--no-push removes the file in a commit of its own and leaves the remote alone", async () => {
    const { repo, env } = declaredRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    writeFileSync(join(repo.dir, "platform", "other.txt"), "staged\n");
    repo.git("add", "platform/other.txt");
    const remoteHead = repo.remoteGit("rev-parse", "main");
    const run = await runCli(["undeploy-model", "gemma-1b", "--no-push"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(0);
    expect(repo.git("show", "--name-status", "--format=%s", "HEAD").split("\n").filter(Boolean)).toEqual([
      "undeploy gemma-1b",
      "D\tplatform/workloads/gemma-1b.yaml",
    ]);
    expect(repo.git("status", "--porcelain")).toBe("A  platform/other.txt");
    expect(repo.remoteGit("rev-parse", "main")).toBe(remoteHead);
  });

  it("a locally edited workload file is refused in aiplat's words, not git's --cached/-f advice (issue 18 point 12)", async () => {
    const { repo, env } = declaredRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    const file = join(repo.dir, "platform", "workloads", "gemma-1b.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}# tuned by hand\n`);
    const head = repo.git("rev-parse", "HEAD");
    const run = await runCli(["undeploy-model", "gemma-1b", "--no-push"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "platform/workloads/gemma-1b.yaml has uncommitted edits; undeploying would delete them",
    );
    expect(run.stderr).toContain("+# tuned by hand");
    expect(run.stderr).toContain("git restore --staged --worktree platform/workloads/gemma-1b.yaml");
    expect(run.stderr).not.toMatch(/--cached|-f to force/);
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(readFileSync(file, "utf8")).toContain("# tuned by hand");
    // Following the hint (drop the edit), the same command works.
    repo.git("restore", "--staged", "--worktree", "platform/workloads/gemma-1b.yaml");
    const again = await runCli(["undeploy-model", "gemma-1b", "--no-push"], { cwd: repo.dir, env });
    expect(again.exitCode, again.stderr).toBe(0);
  });

  it("a rejected push keeps the removal commit and says how to recover (exit 5)", async () => {
    const { repo, env } = declaredRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    const other = join(repo.dir, "..", "other");
    repo.git("clone", "-q", repo.remote, other);
    // The other clone changed the very file this run removes: a conflict aiplat must not resolve.
    writeFileSync(join(other, "platform", "workloads", "gemma-1b.yaml"), "x: 1\n");
    repo.git("-C", other, "add", "platform/workloads/gemma-1b.yaml");
    repo.git(
      "-C",
      other,
      "-c",
      "user.name=o",
      "-c",
      "user.email=o@example.invalid",
      "commit",
      "-q",
      "-m",
      "other",
    );
    repo.git("-C", other, "push", "-q", "origin", "main");
    const run = await runCli(["undeploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("push to origin/main was rejected");
    expect(run.stderr).toContain("then `aiplat undeploy-model gemma-1b`");
    expect(repo.git("log", "-1", "--format=%s")).toBe("undeploy gemma-1b");
  });

  it("refuses names that are not endpoint names (exit 2)", async () => {
    const { repo, env } = declaredRepo();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose
    for (const bad of ["../x", "A", "x${y}", "a\nb"]) {
      const run = await runCli(["undeploy-model", bad], { cwd: repo.dir, env });
      expect(run.exitCode).toBe(2);
    }
  });

  it("its hints keep the user's own flags (issue 18 point 12)", async () => {
    const { repo, env } = declaredRepo();
    const run = await runCli(["--env", "staging", "undeploy-model", "gemma-1b", "--wait", "--no-push"], {
      cwd: repo.dir,
      env,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("`aiplat undeploy-model gemma-1b --wait --env staging`");
  });
});
