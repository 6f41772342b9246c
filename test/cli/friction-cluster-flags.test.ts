import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

// Issue 18, point 6: an explicit --kubeconfig/--context that cannot be used is an error.
function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform", "argocd"] });
  // argocd/ points at this repository's remote, as `aiplat init` leaves it (bootstrap refuses the placeholder).
  const argocd = join(r.dir, "argocd");
  for (const file of readdirSync(argocd).filter((f) => f.endsWith(".yaml"))) {
    const path = join(argocd, file);
    writeFileSync(
      path,
      readFileSync(path, "utf8").replaceAll(
        "https://example.invalid/set-by-aiplat-init.git",
        `file://${r.remote}`,
      ),
    );
  }
  r.git("commit", "-qam", "argocd: point at the remote");
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

  // A kubeconfig whose server refuses connections: nothing listens on port 9 of localhost.
  function deadKubeconfig(): string {
    const file = join(makeTempDir(), "dead.kubeconfig");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: dead, cluster: {server: 'https://127.0.0.1:9', insecure-skip-tls-verify: true}}]",
        "users: [{name: dead, user: {token: t}}]",
        "contexts: [{name: dead, context: {cluster: dead, user: dead}}]",
        "current-context: dead",
      ].join("\n"),
    );
    return file;
  }

  it("a --kubeconfig whose server does not answer stops every cluster command with exit 4 naming it", async () => {
    const { r, env } = repo();
    // Declared without flags: a gated and a non-gated endpoint to act on.
    for (const name of ["gemma-4b", "qwen3-4b"])
      expect((await runCli(["deploy-model", name], { cwd: r.dir, env })).exitCode).toBe(0);
    const head = r.git("rev-parse", "HEAD");
    const dead = deadKubeconfig();
    const commands = [
      ["models"],
      ["deploy-model", "gemma-4b", "--max-replicas", "3", "--force"],
      ["deploy-model", "qwen3-4b", "--max-replicas", "3", "--force"],
      ["deploy-model", "qwen3-4b", "--wait"],
      ["scale", "qwen3-4b", "--max-replicas", "3"],
      ["undeploy-model", "qwen3-4b"],
      ["logs", "gemma-4b"],
      ["chat", "gemma-4b", "--prompt", "hi"],
      ["smoke"],
      ["key"],
      ["bench", "gemma-4b"],
      ["bootstrap"],
      ["open", "webui"],
      ["forward", "litellm"],
    ];
    for (const argv of commands) {
      const run = await runCli([...argv, "--kubeconfig", dead, "--json"], { cwd: r.dir, env });
      expect(run.exitCode, argv.join(" ")).toBe(4);
      expect(run.json(), argv.join(" ")).toMatchObject({
        ok: false,
        error: {
          code: "cluster-unreachable",
          message: expect.stringContaining(`--kubeconfig ${dead} cannot be used`),
        },
      });
    }
    expect(r.git("rev-parse", "HEAD")).toBe(head);
    expect(r.git("status", "--porcelain")).toBe("");

    // The hint's command carries the flag, and running it shows the same cause.
    const models = await runCli(["models", "--kubeconfig", dead], { cwd: r.dir, env });
    const hint = /`(aiplat doctor[^`]*)`/.exec(models.stderr)?.[1] ?? "";
    expect(hint).toBe(`aiplat doctor --kubeconfig ${dead}`);
    const doctor = await runCli([...hint.split(" ").slice(1), "--json"], { cwd: r.dir, env });
    expect(doctor.exitCode).toBe(4);
    expect(JSON.stringify(doctor.json())).toContain(`unreachable through kubeconfig ${dead}`);
  }, 120_000);

  it("a --context that is not in the kubeconfig is exit 3 for models, undeploy-model and bootstrap too", async () => {
    const { r, env } = repo();
    expect((await runCli(["deploy-model", "qwen3-4b"], { cwd: r.dir, env })).exitCode).toBe(0);
    const head = r.git("rev-parse", "HEAD");
    const dead = deadKubeconfig();
    for (const argv of [
      ["models"],
      ["undeploy-model", "qwen3-4b"],
      ["bootstrap"],
      ["scale", "qwen3-4b", "--max-replicas", "2"],
    ]) {
      const run = await runCli([...argv, "--kubeconfig", dead, "--context", "nope", "--json"], {
        cwd: r.dir,
        env,
      });
      expect(run.exitCode, argv.join(" ")).toBe(3);
      expect(JSON.stringify(run.json()), argv.join(" ")).toContain("nope");
    }
    expect(r.git("rev-parse", "HEAD")).toBe(head);
  });
});
