import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createGit } from "../../src/adapters/git.js";
import { createProcessRunner } from "../../src/adapters/process.js";
import { Redactor } from "../../src/core/redact.js";
import { makeTestRepo } from "../support/git-repo.js";
import { makeTempDir } from "../support/temp.js";

const runner = createProcessRunner(new Redactor());

describe("git adapter", () => {
  it("reads remote, branch and upstream of a real working copy", async () => {
    const repo = makeTestRepo();
    const git = createGit(runner, repo.dir);
    expect(await git.isRepository()).toBe(true);
    expect(await git.remoteUrl("origin")).toBe(repo.remote);
    expect(await git.remoteUrl("nope")).toBeUndefined();
    expect(await git.currentBranch()).toBe("main");
    expect(await git.upstream()).toEqual({ remote: "origin", branch: "main" });
  });

  it("says a plain folder is not a repository", async () => {
    expect(await createGit(runner, makeTempDir()).isRepository()).toBe(false);
  });

  it("commits exactly the given path; other staged and modified files stay uncommitted", async () => {
    const repo = makeTestRepo({ files: { "README.md": "hello\n" } });
    writeFileSync(join(repo.dir, "other.txt"), "staged but not mine\n");
    repo.git("add", "other.txt");
    writeFileSync(join(repo.dir, "README.md"), "modified, not staged\n");
    mkdirSync(join(repo.dir, "platform", "workloads"), { recursive: true });
    writeFileSync(join(repo.dir, "platform", "workloads", "gemma-4b.yaml"), "kind: InferenceEndpoint\n");

    const git = createGit(runner, repo.dir);
    const sha = await git.commitPaths(
      ["platform/workloads/gemma-4b.yaml"],
      "deploy gemma-4b (google/gemma-3-4b-it)",
    );

    expect(repo.git("show", "--name-only", "--format=%s", sha).split("\n").filter(Boolean)).toEqual([
      "deploy gemma-4b (google/gemma-3-4b-it)",
      "platform/workloads/gemma-4b.yaml",
    ]);
    expect(repo.git("diff", "--cached", "--name-only")).toBe("other.txt");
    expect(repo.git("diff", "--name-only")).toBe("README.md");
  });

  it("pushes to the remote and reports a rejected push with git's words", async () => {
    const repo = makeTestRepo();
    const git = createGit(runner, repo.dir);
    writeFileSync(join(repo.dir, "a.txt"), "a\n");
    const sha = await git.commitPaths(["a.txt"], "add a");
    expect((await git.push("origin", "main")).ok).toBe(true);
    expect(repo.remoteGit("rev-parse", "main")).toBe(sha);

    // Someone else pushes first: our next push is not a fast-forward.
    const other = join(makeTempDir(), "other");
    execFileSync("git", ["clone", "--quiet", repo.remote, other]);
    execFileSync(
      "git",
      ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "--allow-empty", "-qm", "theirs"],
      { cwd: other },
    );
    execFileSync("git", ["push", "--quiet", "origin", "main"], { cwd: other });
    writeFileSync(join(repo.dir, "b.txt"), "b\n");
    await git.commitPaths(["b.txt"], "add b");
    const pushed = await git.push("origin", "main");
    expect(pushed.ok).toBe(false);
    expect(pushed.message).toMatch(/rejected|non-fast-forward|fetch first/);
  });

  it("removes and commits only the removed path", async () => {
    const repo = makeTestRepo({ files: { "platform/workloads/x.yaml": "a: 1\n", "keep.txt": "k\n" } });
    const git = createGit(runner, repo.dir);
    const sha = await git.removeAndCommit(["platform/workloads/x.yaml"], "undeploy x");
    expect(repo.git("show", "--name-status", "--format=", sha)).toBe("D\tplatform/workloads/x.yaml");
    expect(await git.isDirty("keep.txt")).toBe(false);
  });

  it("fails with git's message when a commit is impossible", async () => {
    const repo = makeTestRepo();
    const git = createGit(runner, repo.dir);
    await expect(git.commitPaths(["does-not-exist.yaml"], "x")).rejects.toMatchObject({
      exitCode: 5,
      code: "git-commit-failed",
    });
  });
});
