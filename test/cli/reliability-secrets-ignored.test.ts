/**
 * A secret file in a repository whose .gitignore does not cover it is one `git add -A` away from
 * being committed. init adds the rule before writing the file (and says so); doctor checks every
 * secret file present and prints a fix that the test runs as printed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FULL_FLAGS, makeInitRepo, mockDirectory, resetAws, runInit } from "../fixtures/init/harness.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv } from "../support/git-repo.js";

afterEach(() => resetAws());

const SECRET = "terraform/00.global/vars/dev.secret.tfvars";

describe("secret files stay out of git", () => {
  it("init adds `*.secret.*` to a .gitignore that lacks it, says so, and `git add -A` skips the token", async () => {
    const repo = makeInitRepo();
    writeFileSync(join(repo.dir, ".gitignore"), ".aiplat/\nnode_modules/\n"); // no *.secret.*
    repo.git("commit", "-q", "-am", "a .gitignore without the secret rule");
    mockDirectory();
    const run = await runInit(repo, [...FULL_FLAGS, "--docker-hub-username", "dockerme"], {
      env: { DOCKER_HUB_TOKEN: "dckr_pat_notCommitted" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Added \`*.secret.*\` to .gitignore: ${SECRET} holds a secret`);
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toContain("\n*.secret.*\n");
    repo.git("add", "-A");
    expect(repo.git("diff", "--cached", "--name-only")).not.toContain("secret");
    expect(repo.git("diff", "--cached", "--name-only")).toContain(".gitignore");
  });

  it("doctor fails the check for an exposed secret file, and its fix, run as printed, makes it pass", async () => {
    const repo = makeInitRepo();
    writeFileSync(join(repo.dir, ".gitignore"), ".aiplat/\n");
    writeFileSync(join(repo.dir, SECRET), 'docker_hub_username = "u"\ndocker_hub_access_token = "t"\n');
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const check = async () => {
      const run = await runCli(["doctor", "--json"], { cwd: repo.dir, env });
      const checks = run.json().checks as { id: string; status: string; detail: string; fix?: string }[];
      return checks.find((c) => c.id === "secrets-ignored");
    };
    const failed = await check();
    expect(failed).toMatchObject({ status: "fail" });
    expect(failed?.detail).toContain(SECRET);
    const fix = /`(printf [^`]+)`/.exec(failed?.fix ?? "")?.[1] ?? "";
    expect(fix).not.toBe("");
    execFileSync("sh", ["-c", fix], { cwd: repo.dir });
    expect(await check()).toMatchObject({ status: "ok" });
  });
});
