import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  // An unrelated staged change and an unrelated modified file: neither may be committed.
  writeFileSync(join(repo.dir, "platform", "notes.txt"), "staged, not mine\n");
  repo.git("add", "platform/notes.txt");
  writeFileSync(
    join(repo.dir, "templates", "models.yaml"),
    `${readFileSync(join(repo.dir, "templates", "models.yaml"), "utf8")}# local edit\n`,
  );
  return { repo, env };
}

describe("deploy-model writes, commits and pushes exactly one file", () => {
  it("commits only platform/workloads/<name>.yaml, leaves other changes alone, and pushes", async () => {
    const { repo, env } = platformRepo();
    const run = await runCli(["deploy-model", "gemma-4b"], { cwd: repo.dir, env });
    expect(run.stderr).toContain("Fit:");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      "Declared gemma-4b (google/gemma-3-4b-it) in platform/workloads/gemma-4b.yaml",
    );

    expect(repo.git("show", "--name-only", "--format=%s", "HEAD").split("\n").filter(Boolean)).toEqual([
      "deploy gemma-4b (google/gemma-3-4b-it)",
      "platform/workloads/gemma-4b.yaml",
    ]);
    const status = repo.git("status", "--porcelain");
    expect(status).toContain("A  platform/notes.txt");
    expect(status).toContain(" M templates/models.yaml");
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("deploy gemma-4b (google/gemma-3-4b-it)");

    const committed = parse(repo.git("show", "HEAD:platform/workloads/gemma-4b.yaml"));
    expect(committed.kind).toBe("InferenceEndpoint");
    expect(committed.metadata).toMatchObject({ name: "gemma-4b", namespace: "inference" });
    expect(committed.spec).toMatchObject({ model: "google/gemma-3-4b-it", gpuCount: 1, maxModelLen: 8192 });
    // The template's comments travel with the file.
    expect(repo.git("show", "HEAD:platform/workloads/gemma-4b.yaml")).toContain("# HuggingFace model id");
  });

  it("says an identical declaration is already there and commits nothing", async () => {
    const { repo, env } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-4b"], { cwd: repo.dir, env })).exitCode).toBe(0);
    const head = repo.git("rev-parse", "HEAD");
    const again = await runCli(["deploy-model", "gemma-4b", "--json"], { cwd: repo.dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.json()).toMatchObject({ ok: true, status: "unchanged", pushed: false, commit: head });
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
  });

  it("refuses different values for an existing name unless --force, then updates in place keeping comments", async () => {
    const { repo, env } = platformRepo();
    await runCli(["deploy-model", "gemma-4b"], { cwd: repo.dir, env });
    const file = join(repo.dir, "platform/workloads/gemma-4b.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("spec:\n", "spec:\n  # my own note\n"));
    repo.git("commit", "-q", "-am", "note");
    const head = repo.git("rev-parse", "HEAD");
    const refused = await runCli(["deploy-model", "gemma-4b", "--max-replicas", "3"], { cwd: repo.dir, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("already declares a different endpoint");
    expect(repo.git("rev-parse", "HEAD")).toBe(head);

    const forced = await runCli(["deploy-model", "gemma-4b", "--max-replicas", "3", "--force"], {
      cwd: repo.dir,
      env,
    });
    expect(forced.exitCode).toBe(0);
    const text = repo.git("show", "HEAD:platform/workloads/gemma-4b.yaml");
    expect(text).toContain("# my own note");
    expect(parse(text).spec.maxReplicas).toBe(3);
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("deploy gemma-4b (google/gemma-3-4b-it)");
  });

  it("refuses to change an endpoint's model in place, even with --force (the RGD makes model immutable)", async () => {
    const { repo, env } = platformRepo();
    await runCli(["deploy-model", "gemma-4b"], { cwd: repo.dir, env });
    const head = repo.git("rev-parse", "HEAD");
    const before = readFileSync(join(repo.dir, "platform/workloads/gemma-4b.yaml"), "utf8");
    const run = await runCli(["deploy-model", "gemma-4b", "--model", "google/gemma-3-12b-it", "--force"], {
      cwd: repo.dir,
      env,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("already serves google/gemma-3-4b-it");
    expect(run.stderr).toContain("undeploy-model gemma-4b");
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(readFileSync(join(repo.dir, "platform/workloads/gemma-4b.yaml"), "utf8")).toBe(before);
  });

  it("--no-push commits without pushing", async () => {
    const { repo, env } = platformRepo();
    const before = repo.remoteGit("rev-parse", "main");
    const run = await runCli(["deploy-model", "qwen3-4b", "--no-push"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(0);
    expect(repo.git("log", "-1", "--format=%s")).toBe("deploy qwen3-4b (Qwen/Qwen3-4B)");
    expect(repo.remoteGit("rev-parse", "main")).toBe(before);
    expect(run.stdout).toContain("not pushed");
  });

  it("an unchanged declaration that was never pushed is pushed, without a new commit", async () => {
    const { repo, env } = platformRepo();
    expect((await runCli(["deploy-model", "gemma-1b", "--no-push"], { cwd: repo.dir, env })).exitCode).toBe(
      0,
    );
    const head = repo.git("rev-parse", "HEAD");
    expect(repo.remoteGit("rev-parse", "main")).not.toBe(head);
    const again = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("already declared");
    expect(again.stdout).toContain("pushed it");
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(repo.remoteGit("rev-parse", "main")).toBe(head);
  });

  it("a rejected push keeps the commit and says how to recover (exit 5)", async () => {
    const { repo, env } = platformRepo();
    // Someone else pushed first, declaring the same file: a conflict aiplat must not resolve.
    const other = join(repo.dir, "..", "other");
    repo.git("clone", "-q", repo.remote, other);
    mkdirSync(join(other, "platform", "workloads"), { recursive: true });
    writeFileSync(join(other, "platform", "workloads", "gemma-1b.yaml"), "x: 1\n");
    const git = (...a: string[]) => repo.git("-C", other, ...a);
    git("add", "platform/workloads/gemma-1b.yaml");
    git("-c", "user.name=o", "-c", "user.email=o@example.invalid", "commit", "-q", "-m", "other");
    git("push", "-q", "origin", "main");

    const run = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain("push to origin/main was rejected");
    expect(run.stderr).toContain("git pull --rebase --autostash origin main");
    expect(repo.git("log", "-1", "--format=%s")).toBe("deploy gemma-1b (google/gemma-3-1b-it)");
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("other");
  });

  it("an unknown name without --model lists close matches (exit 2) and writes nothing", async () => {
    const { repo, env } = platformRepo();
    const run = await runCli(["deploy-model", "gemma4b"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("Did you mean: gemma-4b");
    expect(existsSync(join(repo.dir, "platform/workloads/gemma4b.yaml"))).toBe(false);
  });

  it("an unknown name on a TTY offers the catalog", async () => {
    const { repo, env } = platformRepo();
    const { scriptedPrompter } = await import("../support/prompts.js");
    const prompter = scriptedPrompter([
      (choices) => choices.find((c) => String(c.name).startsWith("qwen3-8b"))?.value,
    ]);
    const run = await runCli(["deploy-model", "my-assistant", "--no-push"], {
      cwd: repo.dir,
      env,
      isTTY: true,
      prompter,
    });
    expect(run.exitCode).toBe(0);
    expect(prompter.asked.map((q) => q.flag)).toEqual(["--model"]);
    expect(parse(repo.git("show", "HEAD:platform/workloads/my-assistant.yaml")).spec.model).toBe(
      "Qwen/Qwen3-8B",
    );
  });

  it("--model deploys any HuggingFace model and sizes it from its id", async () => {
    const { repo, env } = platformRepo();
    const run = await runCli(
      ["deploy-model", "smol", "--model", "HuggingFaceTB/SmolLM2-1.7B-Instruct", "--json"],
      {
        cwd: repo.dir,
        env,
      },
    );
    expect(run.exitCode).toBe(0);
    const out = run.json();
    expect(out).toMatchObject({
      name: "smol",
      model: "HuggingFaceTB/SmolLM2-1.7B-Instruct",
      status: "created",
      pushed: true,
    });
    expect((out.fit as { verdict: string }).verdict).toBe("fits");
    expect(repo.remoteGit("log", "-1", "--format=%s", "main")).toBe(
      "deploy smol (HuggingFaceTB/SmolLM2-1.7B-Instruct)",
    );
  });
});
