/**
 * A push ArgoCD never syncs: the branch aiplat would push to is compared with the workloads
 * Application's targetRevision (argocd/workloads.yaml) before anything is written.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd", "templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  return { repo, env };
}

describe("deploy-model pushes only to the branch ArgoCD follows", () => {
  it("a branch without upstream (targetRevision main): exit 3 with both ways forward; the first, as printed, works", async () => {
    const { repo, env } = platformRepo();
    repo.git("switch", "-q", "-c", "experiment");
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(3);
    const error = run.json().error as Record<string, string>;
    expect(error.code).toBe("branch-not-watched");
    expect(error.message).toContain('follows "main" (argocd/workloads.yaml)');
    expect(error.message).toContain("would push to origin/experiment");
    expect(error.hint).toContain("set targetRevision: experiment in argocd/workloads.yaml");
    // Nothing written, committed or pushed (no new remote branch).
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(false);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(repo.remoteGit("branch", "--list", "experiment")).toBe("");

    const way = /`(git switch [^`]+)`/.exec(error.hint ?? "")?.[1] ?? "";
    expect(way).toBe("git switch main");
    repo.git(...way.split(" ").slice(1));
    const again = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("deploy gemma-1b (google/gemma-3-1b-it)");
  });

  it("follows the Application when it names the branch; --no-push is not checked (nothing reaches ArgoCD)", async () => {
    const { repo, env } = platformRepo();
    const file = join(repo.dir, "argocd", "workloads.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("targetRevision: main", "targetRevision: experiment"),
    );
    repo.git("commit", "-q", "-am", "follow experiment");
    repo.git("switch", "-q", "-c", "experiment");
    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(repo.remoteGit("log", "-1", "--format=%s", "experiment")).toBe(
      "deploy gemma-1b (google/gemma-3-1b-it)",
    );

    repo.git("switch", "-q", "main");
    const local = await runCli(["deploy-model", "qwen3-4b", "--no-push"], { cwd: repo.dir, env });
    expect(local.exitCode, local.stderr).toBe(0);
    const refused = await runCli(["undeploy-model", "qwen3-4b"], { cwd: repo.dir, env });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('follows "experiment"');
    expect(existsSync(join(repo.dir, "platform/workloads/qwen3-4b.yaml"))).toBe(true);
  });
});
