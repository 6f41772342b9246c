/**
 * deploy-model's commit never leaves the user's repository worse than it found it: a refused
 * commit (hook, signing) restores the index and removes the file it wrote; no commit is attempted
 * while a merge or bisect waits for the user; --force never folds the user's edits in unseen.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  // The user's own work in progress: one staged file, one modified file.
  writeFileSync(join(repo.dir, "platform", "notes.txt"), "staged, not aiplat's\n");
  repo.git("add", "platform/notes.txt");
  writeFileSync(
    join(repo.dir, "templates", "models.yaml"),
    `${readFileSync(join(repo.dir, "templates", "models.yaml"), "utf8")}# mine\n`,
  );
  /** Index entries and status, read without refreshing the index. */
  const state = () => ({
    staged: repo.git("ls-files", "--stage"),
    status: repo.git("--no-optional-locks", "status", "--porcelain", "--untracked-files=all"),
    head: repo.git("rev-parse", "HEAD"),
    remote: repo.remoteGit("rev-parse", "main"),
  });
  return { repo, env, state };
}

function hook(repo: { dir: string }, name: string, script: string): void {
  const file = join(repo.dir, ".git", "hooks", name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

describe("a refused commit leaves index and work tree as they were", () => {
  it("a failing pre-commit hook: its output is shown, exit 5, nothing staged, written or pushed", async () => {
    const { repo, env, state } = platformRepo();
    hook(repo, "pre-commit", 'echo "secret-scanner: 1 finding in the staged files" >&2; exit 1');
    const before = state();
    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain(
      "A git commit hook (pre-commit) refused the commit of platform/workloads/gemma-1b.yaml",
    );
    expect(run.stderr).toContain("secret-scanner: 1 finding in the staged files");
    expect(run.stderr).toContain("--no-verify");
    expect(state()).toEqual(before);
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(false);
  });

  it("hooks run by default and --no-verify skips them", async () => {
    const { repo, env } = platformRepo();
    hook(repo, "commit-msg", 'echo "checked: $(cat "$1")" > "$(git rev-parse --git-dir)/hook-ran"');
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    expect(readFileSync(join(repo.dir, ".git", "hook-ran"), "utf8")).toContain("deploy gemma-1b");

    hook(repo, "pre-commit", "exit 1");
    const skipped = await runCli(["deploy-model", "qwen3-4b", "--no-verify"], { cwd: repo.dir, env });
    expect(skipped.exitCode, skipped.stderr).toBe(0);
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("deploy qwen3-4b (Qwen/Qwen3-4B)");
  });

  it("a failing hook on undeploy-model puts the removed file back", async () => {
    const { repo, env, state } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    hook(repo, "pre-commit", 'echo "yamllint: refused" >&2; exit 1');
    const before = state();
    const run = await runCli(["undeploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("yamllint: refused");
    expect(state()).toEqual(before);
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(true);
  });

  it("commit signing that fails is explained, and the index is restored", async () => {
    const { repo, env, state } = platformRepo();
    const gpg = join(repo.dir, "..", "fake-gpg");
    writeFileSync(gpg, '#!/bin/sh\necho "gpg: signing failed: No secret key" >&2\nexit 2\n');
    chmodSync(gpg, 0o755);
    repo.git("config", "commit.gpgsign", "true");
    repo.git("config", "gpg.program", gpg);
    const before = state();
    const run = await runCli(["deploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    const error = run.json().error as Record<string, string>;
    expect(error.code).toBe("commit-signing-failed");
    expect(error.message).toContain("git could not sign the commit");
    expect(error.hint).toContain("gpg --clearsign");
    expect(state()).toEqual(before);
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(false);
  });
});

describe("no commit while git waits for the user", () => {
  it("a merge in progress: exit 3 naming it and both ways out, nothing written", async () => {
    const { repo, env, state } = platformRepo();
    repo.git("commit", "-q", "-m", "notes"); // the merge needs a clean index
    repo.git("switch", "-q", "-c", "side");
    writeFileSync(join(repo.dir, "side.txt"), "side\n");
    repo.git("add", "side.txt");
    repo.git("commit", "-q", "-m", "side");
    repo.git("switch", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side");
    const before = state();
    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("a merge is in progress");
    expect(run.stderr).toContain("git merge --abort");
    expect(state()).toEqual(before);
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(false);
  });

  it("a bisect in progress: exit 3, and `git bisect reset` (the printed way out) lets it run", async () => {
    const { repo, env, state } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    repo.git("bisect", "start");
    const before = state();
    const run = await runCli(["undeploy-model", "gemma-1b", "--json"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(3);
    const error = run.json().error as Record<string, string>;
    expect(error.code).toBe("git-operation-in-progress");
    expect(error.hint).toContain("`git bisect reset`");
    expect(state()).toEqual(before);
    expect(existsSync(join(repo.dir, "platform/workloads/gemma-1b.yaml"))).toBe(true);
    repo.git("bisect", "reset");
    expect((await runCli(["undeploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
  });
});

describe("--force never commits the user's edits to the workload file", () => {
  it("refuses (exit 2), shows the edits, and changes nothing; committed edits then go through", async () => {
    const { repo, env, state } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    const file = join(repo.dir, "platform/workloads/gemma-1b.yaml");
    const edited = readFileSync(file, "utf8").replace("spec:\n", "spec:\n  # my half-done note\n");
    writeFileSync(file, edited);
    const before = state();
    const run = await runCli(["deploy-model", "gemma-1b", "--max-replicas", "3", "--force"], {
      cwd: repo.dir,
      env,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("platform/workloads/gemma-1b.yaml has uncommitted edits");
    expect(run.stderr).toContain("+  # my half-done note");
    expect(state()).toEqual(before);
    expect(readFileSync(file, "utf8")).toBe(edited);

    repo.git("commit", "-q", "-m", "my note", "--", "platform/workloads/gemma-1b.yaml");
    const forced = await runCli(["deploy-model", "gemma-1b", "--max-replicas", "3", "--force"], {
      cwd: repo.dir,
      env,
    });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(repo.git("show", "HEAD:platform/workloads/gemma-1b.yaml")).toContain("# my half-done note");
  });
});
