/**
 * A push that git rejects because the remote moved ahead: aiplat replays its own one-file commit
 * onto the remote (the user's uncommitted changes do not matter) and pushes again; a remote that
 * already holds the commit is a success; anything else gets a recovery that works with a dirty
 * tree, and the test runs it as printed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  const other = join(repo.dir, "..", "other");
  repo.git("clone", "-q", repo.remote, other);
  /** Someone else commits `path` in their clone and pushes it. */
  const pushFromOther = (path: string, text: string, subject: string) => {
    mkdirSync(join(other, path, ".."), { recursive: true });
    writeFileSync(join(other, path), text);
    repo.git("-C", other, "pull", "-q", "--rebase");
    repo.git("-C", other, "add", path);
    repo.git("-C", other, "commit", "-q", "-m", subject);
    repo.git("-C", other, "push", "-q", "origin", "main");
  };
  /** The user's own uncommitted work: a staged file and an unstaged edit. */
  const dirty = () => {
    writeFileSync(join(repo.dir, "platform", "notes.txt"), "staged, mine\n");
    repo.git("add", "platform/notes.txt");
    const models = join(repo.dir, "templates", "models.yaml");
    writeFileSync(models, `${readFileSync(models, "utf8")}# mine\n`);
  };
  const status = () => repo.git("--no-optional-locks", "status", "--porcelain");
  return { repo, env, pushFromOther, dirty, status };
}

describe("deploy-model catches up with a remote that moved ahead", () => {
  it("replays its commit onto the remote with uncommitted changes present; the local branch follows", async () => {
    const { repo, env, pushFromOther, dirty, status } = platformRepo();
    pushFromOther("argocd/values.yaml", "a: 1\n", "someone else's change");
    dirty();
    const before = status();
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const remoteHead = repo.remoteGit("rev-parse", "main");
    expect(run.json()).toMatchObject({ ok: true, pushed: true, commit: remoteHead });
    expect(repo.remoteGit("log", "--format=%s", "-2", "main").split("\n")).toEqual([
      "deploy gemma-1b (google/gemma-3-1b-it)",
      "someone else's change",
    ]);
    expect(repo.remoteGit("show", "--name-only", "--format=", "main")).toBe(
      "platform/workloads/gemma-1b.yaml",
    );
    // The local branch is the remote's; the other's file arrived; the user's changes are intact.
    expect(repo.git("rev-parse", "HEAD")).toBe(remoteHead);
    expect(readFileSync(join(repo.dir, "argocd", "values.yaml"), "utf8")).toBe("a: 1\n");
    expect(status()).toBe(before);
  });

  it("undeploy-model too, and the human output says so", async () => {
    const { repo, env, pushFromOther } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    pushFromOther("argocd/values.yaml", "a: 1\n", "someone else's change");
    const removed = await runCli(["undeploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("origin/main had moved ahead");
    expect(removed.stdout).toContain("the commit was replayed onto it");
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("undeploy gemma-1b");
  });

  it("a remote that already holds the commit is a success (another run pushed it)", async () => {
    const { repo, env, pushFromOther } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b", "--no-push"], { cwd: repo.dir, env })).exitCode).toBe(
      0,
    );
    const commit = repo.git("rev-parse", "HEAD");
    const stale = repo.git("rev-parse", "origin/main");
    // Pushed by someone else, who then pushed on top of it; this clone has not fetched since.
    repo.git("push", "-q", "origin", "HEAD:main");
    repo.git("update-ref", "refs/remotes/origin/main", stale);
    pushFromOther("argocd/values.yaml", "a: 1\n", "on top");
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, commit, pushed: true });
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("on top");
  });

  it("cannot replay (the branch holds other unpushed commits): exit 5 and a recovery that works with a dirty tree", async () => {
    const { repo, env, pushFromOther, dirty, status } = platformRepo();
    writeFileSync(join(repo.dir, "terraform", "mine.tf"), "# mine\n");
    repo.git("add", "terraform/mine.tf");
    repo.git("commit", "-q", "-m", "my unpushed work");
    pushFromOther("argocd/values.yaml", "a: 1\n", "someone else's change");
    dirty();
    const before = status();
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    const error = run.json().error as Record<string, string>;
    expect(error.message).toContain("push to origin/main was rejected");
    expect(status()).toBe(before);
    // The recovery, run as printed in the dirty tree, then the resume command.
    const [recovery, resume] = [...(error.hint ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
    expect(recovery).toBe("git pull --rebase --autostash origin main && git push origin HEAD:main");
    execFileSync("sh", ["-c", recovery ?? ""], { cwd: repo.dir, env, stdio: "pipe" });
    expect(status()).toBe(before);
    expect(repo.remoteGit("log", "--format=%s", "-3", "main").split("\n")).toEqual([
      "deploy gemma-1b (google/gemma-3-1b-it)",
      "my unpushed work",
      "someone else's change",
    ]);
    expect(resume).toBe("aiplat deploy-model gemma-1b --wait");
    // Without a cluster the resume is the same command minus --wait: nothing left to do.
    const again = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("already declared");
  });
});
