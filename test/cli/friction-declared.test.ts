import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

// Issue 18, points 2 and 3: a declared endpoint is changed, never re-created from defaults.
const CODER = ["coder", "--model", "Qwen/Qwen2.5-Coder-7B-Instruct", "--max-model-len", "16384"];

function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  return { r, env: { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

function declaredSpec(r: ReturnType<typeof repo>["r"], rev = "HEAD"): Record<string, unknown> {
  return parse(r.git("show", `${rev}:platform/workloads/coder.yaml`)).spec;
}

/** A printed `aiplat …` command as argv (the hints carry no quoting here). */
function argvOf(command: string): string[] {
  return command.replace(/^aiplat /, "").split(" ");
}

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("a declared endpoint keeps every value not given", () => {
  it("--force changes only what is given and shows the diff before committing", async () => {
    const { r, env } = repo();
    expect((await runCli(["deploy-model", ...CODER], { cwd: r.dir, env })).exitCode).toBe(0);
    const before = declaredSpec(r);

    const refused = await runCli(["deploy-model", "coder", "--max-replicas", "3"], { cwd: r.dir, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`maxReplicas: ${before.maxReplicas} → 3`);
    expect(refused.stderr).toContain("--force");

    const forced = await runCli(["deploy-model", "coder", "--max-replicas", "3", "--force"], {
      cwd: r.dir,
      env,
    });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("Changes to coder:");
    expect(forced.stderr).toContain(`maxReplicas: ${before.maxReplicas} → 3`);
    expect(forced.stderr).not.toContain("maxModelLen");
    expect(declaredSpec(r)).toEqual({ ...before, maxReplicas: 3 });
    expect(r.remoteGit("rev-parse", "main")).toBe(r.git("rev-parse", "HEAD"));
  });

  it("--json names the changes; an unchanged re-run by name alone has none", async () => {
    const { r, env } = repo();
    await runCli(["deploy-model", ...CODER], { cwd: r.dir, env });
    const forced = await runCli(["deploy-model", "coder", "--max-model-len", "8192", "--force", "--json"], {
      cwd: r.dir,
      env,
    });
    expect(forced.json()).toMatchObject({
      ok: true,
      status: "updated",
      changes: [{ field: "maxModelLen", from: 16384, to: 8192 }],
    });
    const again = await runCli(["deploy-model", "coder", "--json"], { cwd: r.dir, env });
    expect(again.json()).toMatchObject({
      ok: true,
      status: "unchanged",
      model: "Qwen/Qwen2.5-Coder-7B-Instruct",
    });
    expect((again.json() as { changes?: unknown }).changes).toBeUndefined();
  });

  it("a model change is refused with hints that carry the user's flags, and the printed undeploy works", async () => {
    const { r, env } = repo();
    await runCli(["deploy-model", ...CODER], { cwd: r.dir, env });
    const run = await runCli(
      ["deploy-model", "coder", "--model", "Qwen/Qwen3-8B", "--force", "--env", "staging"],
      {
        cwd: r.dir,
        env,
      },
    );
    expect(run.exitCode).toBe(2);
    const undeploy = /`(aiplat undeploy-model [^`]+)`/.exec(run.stderr)?.[1] ?? "";
    expect(undeploy).toBe("aiplat undeploy-model coder --wait --env staging");
    expect(run.stderr).toContain("aiplat deploy-model <new-name> --model Qwen/Qwen3-8B --env staging");
    // Without a cluster --wait cannot follow; the same command without it removes the endpoint.
    const removed = await runCli(argvOf(undeploy.replace(" --wait", "")), { cwd: r.dir, env });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(r.git("log", "-1", "--format=%s")).toBe("undeploy coder");
  });

  it("a field deploy-model does not set (a hand-set modelSource) is no change and is kept", async () => {
    const { r, env } = repo();
    await runCli(["deploy-model", ...CODER], { cwd: r.dir, env });
    const file = join(r.dir, "platform/workloads/coder.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("spec:\n", "spec:\n  modelSource: s3://models-bucket/coder/\n"),
    );
    r.git("commit", "-qam", "coder: weights from the model cache");
    const again = await runCli(["deploy-model", "coder", "--json"], { cwd: r.dir, env });
    expect(again.json()).toMatchObject({ ok: true, status: "unchanged" });
    const scaled = await runCli(["scale", "coder", "--max-replicas", "2"], { cwd: r.dir, env });
    expect(scaled.exitCode, scaled.stderr).toBe(0);
    expect(scaled.stderr).not.toContain("modelSource");
    expect(declaredSpec(r)).toMatchObject({ modelSource: "s3://models-bucket/coder/", maxReplicas: 2 });
  });

  it("aiplat scale changes the replica range alone, in one commit of one file, pushed", async () => {
    const { r, env } = repo();
    await runCli(["deploy-model", ...CODER], { cwd: r.dir, env });
    const before = declaredSpec(r);
    const run = await runCli(["scale", "coder", "--min-replicas", "2", "--max-replicas", "5"], {
      cwd: r.dir,
      env,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("minReplicas: 1 → 2");
    expect(declaredSpec(r)).toEqual({ ...before, minReplicas: 2, maxReplicas: 5 });
    expect(r.git("show", "--name-only", "--format=%s", "HEAD").split("\n").filter(Boolean)).toEqual([
      "scale coder to 2-5 replicas",
      "platform/workloads/coder.yaml",
    ]);
    expect(r.remoteGit("rev-parse", "main")).toBe(r.git("rev-parse", "HEAD"));
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("aiplat scale refuses bad input with exit 2 and writes nothing", async () => {
    const { r, env } = repo();
    await runCli(["deploy-model", ...CODER], { cwd: r.dir, env });
    const head = r.git("rev-parse", "HEAD");
    const none = await runCli(["scale", "coder"], { cwd: r.dir, env });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("--min-replicas, --max-replicas or both");
    const unknown = await runCli(["scale", "nosuch", "--max-replicas", "2"], { cwd: r.dir, env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("No endpoint named nosuch");
    const inverted = await runCli(["scale", "coder", "--min-replicas", "9"], { cwd: r.dir, env });
    expect(inverted.exitCode).toBe(2);
    expect(inverted.stderr).toContain("must not exceed --max-replicas");
    expect(r.git("rev-parse", "HEAD")).toBe(head);
    expect(r.git("status", "--porcelain")).toBe("");
  });
});

describe("the follow-up commands printed for a custom model work as printed", () => {
  it("`Follow it:` and the Ctrl-C resume hint follow the declared custom model by name alone", async () => {
    platform = await startSimPlatform();
    const p = platform;
    // The cluster is given as a flag: every printed command must carry it.
    const env = { ...p.env, KUBECONFIG: undefined };
    const kubeconfig = p.sim.kubeconfigPath;
    const run = (argv: string[], extra: Parameters<typeof runCli>[1] = {}) =>
      runCli(argv, { cwd: p.repo.dir, env, clock: scaledClock(), ...extra });

    const deployed = await run(["deploy-model", ...CODER, "--kubeconfig", kubeconfig]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    const follow = /Follow it: (aiplat .+)$/m.exec(deployed.stdout)?.[1] ?? "";
    expect(follow).toBe(`aiplat deploy-model coder --wait --kubeconfig ${kubeconfig}`);

    // Ctrl-C once the worker pod exists: the resume hint names the same command.
    const controller = new AbortController();
    const poll = setInterval(() => {
      const pods = p.sim.kube.store.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "inference" });
      if (pods.length > 0) controller.abort();
    }, 5);
    const interrupted = await run([...argvOf(follow), "--timeout", "10h"], { signal: controller.signal });
    clearInterval(poll);
    expect(interrupted.exitCode, interrupted.stderr).toBe(130);
    const resume = /Resume watching with `(aiplat [^`]+)`/.exec(interrupted.stderr)?.[1] ?? "";
    expect(resume).toBe(`aiplat deploy-model coder --wait --kubeconfig ${kubeconfig}`);

    const resumed = await run([...argvOf(resume), "--timeout", "10h"]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("coder answers through LiteLLM");
    expect(p.sim.litellm.registered().map((m) => m.model_name)).toContain("coder");
  }, 120_000);
});
