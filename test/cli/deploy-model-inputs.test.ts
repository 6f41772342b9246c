import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

/** Each case: argv after `deploy-model`, and a fragment the error must contain. */
const BAD: [string[], string][] = [
  // names
  [["Gemma-4b", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["gemma_4b", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["4gemma", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["gemma-", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["gemma.4b", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["gemma 4b", "--model", "google/gemma-3-4b-it"], "DNS label"],
  [["a".repeat(41), "--model", "google/gemma-3-4b-it"], "at most 40"],
  [["-x", "--model", "google/gemma-3-4b-it"], ""],
  [["x/../../etc", "--model", "google/gemma-3-4b-it"], "DNS label"],
  // model ids
  [["m", "--model", "gemma"], "HuggingFace id"],
  [["m", "--model", "google/"], "HuggingFace id"],
  [["m", "--model", "/gemma"], "HuggingFace id"],
  [["m", "--model", "a/b/c"], "HuggingFace id"],
  [["m", "--model", "google/gemma 3"], "HuggingFace id"],
  [["m", "--model", "google/gemma:3"], "HuggingFace id"],
  [["m", "--model", "google/-gemma"], "HuggingFace id"],
  [["m", "--model", "google/gemma..x"], "HuggingFace id"],
  [["m", "--model", `google/${"x".repeat(97)}`], "HuggingFace id"],
  // numbers
  [["gemma-4b", "--gpus", "0"], "--gpus"],
  [["gemma-4b", "--gpus", "9"], "--gpus"],
  [["gemma-4b", "--gpus", "3"], "1, 2, 4 or 8"],
  [["gemma-4b", "--gpus", "1.5"], "--gpus"],
  [["gemma-4b", "--gpus", "-1"], ""],
  [["gemma-4b", "--gpus", "two"], "--gpus"],
  [["gemma-4b", "--min-replicas", "0"], "--min-replicas"],
  [["gemma-4b", "--max-replicas", "17"], "--max-replicas"],
  [["gemma-4b", "--min-replicas", "3", "--max-replicas", "2"], "must not exceed"],
  [["gemma-4b", "--max-model-len", "256"], "--max-model-len"],
  [["gemma-4b", "--max-model-len", "200000"], "--max-model-len must be from 512 to 131072"],
  [["qwen25-7b", "--max-model-len", "65536"], "to 32768"],
  [["gemma-4b", "--max-model-len", "8k"], "--max-model-len"],
  // quantities
  [["gemma-4b", "--worker-memory", "lots"], "--worker-memory"],
  [["gemma-4b", "--worker-memory", "24GB"], "--worker-memory"],
  [["gemma-4b", "--worker-memory", "0Gi"], "more than zero"],
  [["gemma-4b", "--worker-memory", "-4Gi"], "--worker-memory"],
  [["gemma-4b", "--worker-cpu", "four"], "--worker-cpu"],
  [["gemma-4b", "--worker-cpu", "4 cores"], "--worker-cpu"],
  [["gemma-4b", "--worker-cpu", "0"], "more than zero"],
  [["gemma-4b", "--image", "Ray:latest"], "--image"],
  [["gemma-4b", "--image", "ray llm"], "--image"],
  // injection attempts
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["m", "--model", "google/${schema.spec.x}"], 'contains "${"'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["gemma-4b", "--worker-memory", "${string(1)}"], 'contains "${"'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["gemma-4b", "--image", "ray:${x}"], 'contains "${"'],
  [["m", "--model", "google/gemma\nspec:"], "line break"],
  [["gemma-4b", "--worker-cpu", "4\n  gpuCount: 8"], "line break"],
  [["gemma-4b", "--image", "ray\u0000x"], "control character"],
  [["gemma-4b", "--worker-memory", "24Gi\u001b[2J"], "control character"],
  [["m", "--model", "google/gemma\u2028x"], "control character"],
  [["gemma-4b", "--worker-cpu", "4 #"], "--worker-cpu"],
  [["m", "--model", 'google/"gemma"'], "HuggingFace id"],
  [["m", "--model", "google/gemma: {x: 1}"], "HuggingFace id"],
  // does not fit (explicit --gpus): refused with what would work
  [["llama33-70b", "--gpus", "1"], "What would work: --gpus 8"],
  [["gemma-27b", "--gpus", "2"], "fits only g6e"],
  [["gemma-4b", "--timeout", "soon", "--wait"], "--timeout"],
  [["gemma-4b", "--wait", "--no-push"], "--no-push"],
  [["gemma-4b", "--image-pull-timeout", "0s", "--wait"], "--image-pull-timeout"],
  [["gemma-4b", "--capacity-timeout", "forever"], "--capacity-timeout"],
  [["nope-model"], "not in the model catalog"],
];

describe("deploy-model refuses bad input before writing anything", () => {
  it(`exits 2 for each of ${BAD.length} bad inputs, writing and committing nothing`, async () => {
    expect(BAD.length).toBeGreaterThanOrEqual(30);
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const head = repo.git("rev-parse", "HEAD");
    const files = readdirSync(join(repo.dir, "platform", "workloads"));
    const failures: string[] = [];
    for (const [argv, fragment] of BAD) {
      const run = await runCli(["deploy-model", ...argv, "--json"], { cwd: repo.dir, env });
      const error = run.exitCode === 2 ? (run.json().error as { message: string; hint?: string }) : undefined;
      const text = `${error?.message ?? ""} ${error?.hint ?? ""}`;
      if (run.exitCode !== 2 || !text.includes(fragment)) {
        failures.push(`${JSON.stringify(argv)} → exit ${run.exitCode}: ${run.stdout}${run.stderr}`);
      }
    }
    expect(failures).toEqual([]);
    expect(readdirSync(join(repo.dir, "platform", "workloads"))).toEqual(files);
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(repo.git("status", "--porcelain")).toBe("");
  }, 120_000);

  it("--force deploys a model that does not fit, with a warning", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const run = await runCli(["deploy-model", "gemma-27b", "--gpus", "2", "--force", "--no-push"], {
      cwd: repo.dir,
      env,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("--force: deploying although");
    expect(repo.git("log", "-1", "--format=%s")).toBe("deploy gemma-27b (google/gemma-3-27b-it)");
  });
});
