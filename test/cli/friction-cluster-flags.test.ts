import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

// Issue 18, point 6: an explicit --kubeconfig/--context that cannot be used is an error.
function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  return { r, env: { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

describe("explicit cluster flags that cannot be used", () => {
  it("models exits 3 naming the missing --kubeconfig instead of listing from git only", async () => {
    const { r, env } = repo();
    const missing = join(makeTempDir(), "nope.kubeconfig");
    const run = await runCli(["models", "--kubeconfig", missing], { cwd: r.dir, env });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`--kubeconfig ${missing} cannot be used`);
    expect(run.stdout).toBe("");
  });

  it("deploy-model of a gated model exits 3 on a wrong --context, committing and pushing nothing", async () => {
    const { r, env } = repo();
    const kubeconfig = join(makeTempDir(), "kubeconfig");
    writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
    const head = r.git("rev-parse", "HEAD");
    const remoteHead = r.remoteGit("rev-parse", "main");
    const run = await runCli(
      ["deploy-model", "gemma-4b", "--kubeconfig", kubeconfig, "--context", "nope", "--json"],
      {
        cwd: r.dir,
        env,
      },
    );
    expect(run.exitCode).toBe(3);
    expect(run.json()).toMatchObject({
      error: { code: "bad-kubeconfig", message: expect.stringContaining("--context nope cannot be used") },
    });
    expect(r.git("rev-parse", "HEAD")).toBe(head);
    expect(r.remoteGit("rev-parse", "main")).toBe(remoteHead);
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("without explicit flags, models still lists from git alone", async () => {
    const { r, env } = repo();
    const run = await runCli(["models"], { cwd: r.dir, env: { ...env, HOME: makeTempDir() } });
    expect(run.exitCode).toBe(0);
  });
});
