/**
 * deploy-model's git paths that the happy path never takes: a declaration written but never
 * committed (the run was interrupted between the two), and a branch whose upstream is not
 * origin/<branch> (a fork's remote, a differently named branch ArgoCD follows).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  return { repo, env };
}

describe("deploy-model recovers a declaration that was written but not committed", () => {
  it.each([
    ["untracked (a first deploy stopped before its commit)", "untracked"],
    ["modified (a --force update stopped before its commit)", "modified"],
  ] as const)("%s: commits exactly that file and pushes it", async (_title, kind) => {
    const { repo, env } = platformRepo();
    const file = join(repo.dir, "platform", "workloads", "gemma-4b.yaml");
    if (kind === "modified") {
      // An older declaration is committed; the interrupted run had written the new one.
      expect(
        (await runCli(["deploy-model", "gemma-4b", "--max-replicas", "2"], { cwd: repo.dir, env })).exitCode,
      ).toBe(0);
    }
    // What the interrupted run left: the exact file this run would write, not committed.
    if (kind === "untracked") {
      expect((await runCli(["deploy-model", "gemma-4b", "--no-push"], { cwd: repo.dir, env })).exitCode).toBe(
        0,
      );
      repo.git("reset", "-q", "HEAD~1"); // the commit undone, the file kept in the work tree
    } else {
      const text = readFileSync(file, "utf8");
      writeFileSync(file, text.replace(/maxReplicas: 2\n/, "maxReplicas: 1\n"));
      expect(parse(readFileSync(file, "utf8")).spec.maxReplicas).toBe(1);
    }
    const before = repo.git("rev-parse", "HEAD");
    expect(repo.git("status", "--porcelain", "platform/workloads")).not.toBe("");
    // An unrelated change that must stay out of the commit.
    mkdirSync(join(repo.dir, "platform", "notes"), { recursive: true });
    writeFileSync(join(repo.dir, "platform", "notes", "todo.txt"), "mine\n");

    const args = kind === "modified" ? ["gemma-4b", "--max-replicas", "1", "--json"] : ["gemma-4b", "--json"];
    const run = await runCli(["deploy-model", ...args], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const head = repo.git("rev-parse", "HEAD");
    expect(head).not.toBe(before);
    expect(run.json()).toMatchObject({ ok: true, commit: head, pushed: true });
    expect(repo.git("show", "--name-only", "--format=%s", "HEAD").split("\n").filter(Boolean)).toEqual([
      "deploy gemma-4b (google/gemma-3-4b-it)",
      "platform/workloads/gemma-4b.yaml",
    ]);
    expect(repo.git("status", "--porcelain")).toBe("?? platform/notes/");
    expect(repo.remoteGit("rev-parse", "main")).toBe(head);
  });
});

describe("deploy-model pushes to the branch's upstream, whatever its remote and name", () => {
  it("an upstream of platform/gitops: the commit goes there, origin is untouched", async () => {
    const { repo, env } = platformRepo();
    const second = join(repo.dir, "..", "platform.git");
    repo.git("init", "-q", "--bare", "--initial-branch=gitops", second);
    repo.git("remote", "add", "platform", second);
    repo.git("push", "-q", "platform", "main:gitops");
    repo.git("branch", "-q", "--set-upstream-to=platform/gitops", "main");
    const originBefore = repo.remoteGit("rev-parse", "main");

    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const head = repo.git("rev-parse", "HEAD");
    expect(run.json()).toMatchObject({ ok: true, commit: head, pushed: true });
    expect(repo.git("--git-dir", second, "rev-parse", "gitops")).toBe(head);
    expect(repo.remoteGit("rev-parse", "main")).toBe(originBefore);
    expect(repo.git("--git-dir", second, "branch", "--list", "main")).toBe("");
  });

  it("a rejected push names the upstream in the recovery command", async () => {
    const { repo, env } = platformRepo();
    const second = join(repo.dir, "..", "platform.git");
    repo.git("init", "-q", "--bare", "--initial-branch=gitops", second);
    repo.git("remote", "add", "platform", second);
    repo.git("push", "-q", "platform", "main:gitops");
    repo.git("branch", "-q", "--set-upstream-to=platform/gitops", "main");
    // Someone else pushed to platform/gitops first, declaring the same file: a real conflict.
    const other = join(repo.dir, "..", "other");
    repo.git("clone", "-q", "--branch", "gitops", second, other);
    mkdirSync(join(other, "platform", "workloads"), { recursive: true });
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
    repo.git("-C", other, "push", "-q", "origin", "gitops");

    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("push to platform/gitops was rejected");
    expect(run.stderr).toContain(
      "git pull --rebase --autostash platform gitops && git push platform HEAD:gitops",
    );
  });
});
