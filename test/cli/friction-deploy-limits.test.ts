import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { scriptedPrompter } from "../support/prompts.js";

// Issue 18, points 9 and 10: an image of another Ray minor, and GPU ranges beyond the NodePool.
function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  const untouched = () => {
    expect(r.git("status", "--porcelain")).toBe("");
    expect(r.git("log", "--format=%s")).not.toContain("deploy ");
  };
  return { r, env, untouched };
}

function writeTfvars(dir: string, env: string, text: string) {
  const vars = join(dir, "terraform", "00.global", "vars");
  mkdirSync(vars, { recursive: true });
  writeFileSync(join(vars, `${env}.tfvars`), text);
}

describe("--image must run the RGD's Ray minor", () => {
  it("refuses another Ray minor with the reason, exit 2, nothing written", async () => {
    const { r, env, untouched } = repo();
    const run = await runCli(
      ["deploy-model", "gemma-4b", "--image", "rayproject/ray-llm:2.49.0-py311-cu128", "--json"],
      { cwd: r.dir, env },
    );
    expect(run.exitCode).toBe(2);
    expect(run.json()).toMatchObject({
      error: {
        code: "ray-version-mismatch",
        message: expect.stringContaining(
          "runs Ray 2.49.0, but the InferenceEndpoint RGD pins rayVersion 2.53.0",
        ),
      },
    });
    untouched();
  });

  it("accepts a patch release of the same minor, and warns when the tag names no version", async () => {
    const { r, env } = repo();
    const patch = await runCli(
      ["deploy-model", "gemma-4b", "--image", "rayproject/ray-llm:2.53.1-py311-cu128", "--dry-run"],
      { cwd: r.dir, env },
    );
    expect(patch.exitCode, patch.stderr).toBe(0);
    const latest = await runCli(
      ["deploy-model", "gemma-4b", "--image", "rayproject/ray-llm:latest", "--dry-run"],
      {
        cwd: r.dir,
        env,
      },
    );
    expect(latest.exitCode).toBe(0);
    expect(latest.stderr).toContain("carries no Ray version in its tag: make sure it runs Ray 2.53.x");
  });
});

describe("large GPU deployments", () => {
  it("lowers a default maximum to what gpu_node_limit (default 16) holds, and says so", async () => {
    const { r, env } = repo();
    const run = await runCli(["deploy-model", "llama33-70b", "--no-push"], { cwd: r.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "maxReplicas lowered from 4 to 2: 2 × 8 GPUs is the most the default cluster_config.gpu_node_limit (16) holds",
    );
    expect(run.stderr).toContain(
      "Range: 1-2 GPU worker(s) × 8 GPU(s) = 8-16 GPUs, plus the Ray head on a CPU node (2-3 pods)",
    );
    expect(parse(r.git("show", "HEAD:platform/workloads/llama33-70b.yaml")).spec.maxReplicas).toBe(2);
  });

  it("refuses a maximum given over gpu_node_limit unless --force; the suggested value goes through", async () => {
    const { r, env, untouched } = repo();
    const refused = await runCli(["deploy-model", "llama33-70b", "--max-replicas", "4"], { cwd: r.dir, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      "Range: 1-4 GPU worker(s) × 8 GPU(s) = 8-32 GPUs, plus the Ray head on a CPU node (2-5 pods)",
    );
    expect(refused.stderr).toContain("needs 32 GPUs, more than the gpu-inference NodePool may run (16");
    const suggested = /Use (--max-replicas \d+)/.exec(refused.stderr)?.[1] ?? "";
    expect(suggested).toBe("--max-replicas 2");
    untouched();

    // The suggested value goes through (no terminal: nothing to confirm).
    const fitted = await runCli(["deploy-model", "llama33-70b", ...suggested.split(" "), "--no-push"], {
      cwd: r.dir,
      env,
    });
    expect(fitted.exitCode, fitted.stderr).toBe(0);
    expect(fitted.stderr).toContain("= 8-16 GPUs");
  });

  it("--force deploys over the limit with a warning; --json carries the range", async () => {
    const { r, env } = repo();
    const argv = ["deploy-model", "llama33-70b", "--max-replicas", "4", "--force", "--no-push"];
    const forced = await runCli(argv, { cwd: r.dir, env });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("--force: deploying although at its maximum");
    const again = await runCli([...argv, "--json"], { cwd: r.dir, env });
    expect(again.json()).toMatchObject({ range: { gpus: { min: 8, max: 32 }, pods: { min: 2, max: 5 } } });
  });

  it("reads the environment's gpu_node_limit, as aiplat init writes it and as any HCL", async () => {
    const { r, env } = repo();
    writeTfvars(r.dir, "big", "cluster_config = {\n  gpu_node_limit = 64\n}\n");
    writeTfvars(
      r.dir,
      "small",
      'region = "us-east-1"\ncluster_config = { gpu_node_limit = 8, create_mng_system = true }\n',
    );
    r.git("add", "terraform");
    r.git("commit", "-qm", "tfvars");
    const big = await runCli(["--env", "big", "deploy-model", "llama33-70b", "--no-push"], {
      cwd: r.dir,
      env,
    });
    expect(big.exitCode, big.stderr).toBe(0);
    const head = r.git("rev-parse", "HEAD");
    const small = await runCli(["--env", "small", "deploy-model", "gemma-4b", "--max-replicas", "9"], {
      cwd: r.dir,
      env,
    });
    expect(small.exitCode).toBe(2);
    expect(small.stderr).toContain("needs 9 GPUs, more than the gpu-inference NodePool may run (8");
    expect(small.stderr).toContain("terraform/00.global/vars/small.tfvars");
    // The hint's `aiplat up` keeps the user's --env (up itself is run by the up tests).
    expect(small.stderr).toContain("and run `aiplat up --env small`");
    expect(r.git("rev-parse", "HEAD")).toBe(head);
  });

  it("asks on a terminal when the maximum is above 8 GPUs; declining writes nothing, --yes skips", async () => {
    const { r, env, untouched } = repo();
    const argv = ["deploy-model", "llama33-70b", "--max-replicas", "2", "--no-push"];
    const declined = scriptedPrompter([false]);
    const no = await runCli(argv, { cwd: r.dir, env, isTTY: true, prompter: declined });
    expect(no.exitCode).toBe(2);
    expect(declined.asked.map((q) => q.message)).toEqual([
      expect.stringContaining("llama33-70b may grow to 16 GPUs"),
    ]);
    untouched();

    const accepted = scriptedPrompter([true]);
    const yes = await runCli(argv, { cwd: r.dir, env, isTTY: true, prompter: accepted });
    expect(yes.exitCode, yes.stderr).toBe(0);
    expect(accepted.asked).toHaveLength(1);

    const skipped = scriptedPrompter([]);
    const small = await runCli(["deploy-model", "gemma-4b", "--no-push"], {
      cwd: r.dir,
      env,
      isTTY: true,
      prompter: skipped,
    });
    expect(small.exitCode, small.stderr).toBe(0);
    const withYes = await runCli(["--yes", "deploy-model", "llama33-70b", "--max-replicas", "2", "--force"], {
      cwd: r.dir,
      env,
      isTTY: true,
      prompter: skipped,
    });
    expect(withYes.exitCode, withYes.stderr).toBe(0);
    expect(skipped.asked).toHaveLength(0);
  });
});
