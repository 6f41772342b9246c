import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

// The exact refusal for each bad input: a case refused for the wrong reason (a DNS-label
// message where the length rule should speak, a commander error where ours should) fails here.
const dns = (name: string) =>
  `Invalid input: the endpoint name ${JSON.stringify(name)} must be a DNS label: lowercase letters, digits and "-", starting with a letter and not ending with "-".`;
const hf = (model: string) =>
  `Invalid input: --model ${JSON.stringify(model)} must be a HuggingFace id org/name (letters, digits, "-", "_", "." inside each part, at most 96 each).`;
const range = (flag: string, min: number, max: number, got: number) =>
  `Invalid input: ${flag} must be from ${min} to ${max} (got ${got}).`;
const whole = (flag: string, min: number, max: number, got: string) =>
  `Invalid input: ${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(got)}).`;
const quantity = (flag: string, got: string, example: string) =>
  `Invalid input: ${flag} ${JSON.stringify(got)} is not a Kubernetes quantity of the accepted form (e.g. ${example}).`;
const MEM = "24Gi";
const CPU = '"4" or 3500m';
const image = (got: string) =>
  `Invalid input: --image ${JSON.stringify(got)} is not an image reference (registry/repository:tag, lowercase start, at most 255 characters).`;
const unsafe = (flag: string, why: string) => `Invalid input: ${flag} ${why}.`;
const KRO = 'contains "${", which KRO would evaluate as an expression';
const duration = (flag: string, got: string) =>
  `${flag} ${JSON.stringify(got)} is not a duration from 1s to 24h (such as 90s, 15m or 1h30m).`;
const GEMMA = ["--model", "google/gemma-3-4b-it"];

/** Each case: argv after `deploy-model`, the error code and the error message, exactly. */
const BAD: [string[], string, string][] = [
  // names
  [["Gemma-4b", ...GEMMA], "invalid-input", dns("Gemma-4b")],
  [["gemma_4b", ...GEMMA], "invalid-input", dns("gemma_4b")],
  [["4gemma", ...GEMMA], "invalid-input", dns("4gemma")],
  [["gemma-", ...GEMMA], "invalid-input", dns("gemma-")],
  [["gemma.4b", ...GEMMA], "invalid-input", dns("gemma.4b")],
  [["gemma 4b", ...GEMMA], "invalid-input", dns("gemma 4b")],
  [
    ["a".repeat(41), ...GEMMA],
    "invalid-input",
    "Invalid input: the endpoint name is 41 characters, at most 40 are allowed: besides <name>-serve-svc and <name>-head-svc, KubeRay and KRO derive longer names from it (the RayCluster <name>-raycluster-xxxxx with its Services and pods, the Job <name>-litellm-register), and Kubernetes allows at most 63 characters in each.",
  ],
  // A leading "-" is an option to the parser, so the name never reaches the name rule.
  [["-x", ...GEMMA], "usage", "unknown option '-x'"],
  [["x/../../etc", ...GEMMA], "invalid-input", dns("x/../../etc")],
  // model ids
  [["m", "--model", "gemma"], "invalid-input", hf("gemma")],
  [["m", "--model", "google/"], "invalid-input", hf("google/")],
  [["m", "--model", "/gemma"], "invalid-input", hf("/gemma")],
  [["m", "--model", "a/b/c"], "invalid-input", hf("a/b/c")],
  [["m", "--model", "google/gemma 3"], "invalid-input", hf("google/gemma 3")],
  [["m", "--model", "google/gemma:3"], "invalid-input", hf("google/gemma:3")],
  [["m", "--model", "google/-gemma"], "invalid-input", hf("google/-gemma")],
  [["m", "--model", "google/gemma..x"], "invalid-input", hf("google/gemma..x")],
  [["m", "--model", "google/gemma--x"], "invalid-input", hf("google/gemma--x")],
  [["m", "--model", `google/${"x".repeat(97)}`], "invalid-input", hf(`google/${"x".repeat(97)}`)],
  // numbers
  [["gemma-4b", "--gpus", "0"], "invalid-input", range("--gpus", 1, 8, 0)],
  [["gemma-4b", "--gpus", "9"], "invalid-input", range("--gpus", 1, 8, 9)],
  [
    ["gemma-4b", "--gpus", "3"],
    "invalid-input",
    "Invalid input: --gpus must be 1, 2, 4 or 8 (got 3): vLLM's tensor parallelism must divide the attention heads, and GPU nodes have 1, 4 or 8 GPUs.",
  ],
  [["gemma-4b", "--gpus", "1.5"], "invalid-input", whole("--gpus", 1, 8, "1.5")],
  [["gemma-4b", "--gpus", "-1"], "invalid-input", whole("--gpus", 1, 8, "-1")],
  [["gemma-4b", "--gpus", "two"], "invalid-input", whole("--gpus", 1, 8, "two")],
  [["gemma-4b", "--min-replicas", "0"], "invalid-input", range("--min-replicas", 1, 16, 0)],
  [["gemma-4b", "--max-replicas", "17"], "invalid-input", range("--max-replicas", 1, 16, 17)],
  [
    ["gemma-4b", "--min-replicas", "3", "--max-replicas", "2"],
    "invalid-input",
    "Invalid input: --min-replicas (3) must not exceed --max-replicas (2).",
  ],
  [["gemma-4b", "--max-model-len", "256"], "invalid-input", range("--max-model-len", 512, 1048576, 256)],
  // gemma-3-4b's own context is 131072 tokens, Qwen2.5-7B's 32768 (templates/models.yaml).
  [["gemma-4b", "--max-model-len", "200000"], "invalid-input", range("--max-model-len", 512, 131072, 200000)],
  [["qwen25-7b", "--max-model-len", "65536"], "invalid-input", range("--max-model-len", 512, 32768, 65536)],
  [["gemma-4b", "--max-model-len", "8k"], "invalid-input", whole("--max-model-len", 512, 1048576, "8k")],
  // quantities
  [["gemma-4b", "--worker-memory", "lots"], "invalid-input", quantity("--worker-memory", "lots", MEM)],
  [["gemma-4b", "--worker-memory", "24GB"], "invalid-input", quantity("--worker-memory", "24GB", MEM)],
  [
    ["gemma-4b", "--worker-memory", "0Gi"],
    "invalid-input",
    'Invalid input: --worker-memory must be more than zero (got "0Gi").',
  ],
  [["gemma-4b", "--worker-memory", "-4Gi"], "invalid-input", quantity("--worker-memory", "-4Gi", MEM)],
  [["gemma-4b", "--worker-cpu", "four"], "invalid-input", quantity("--worker-cpu", "four", CPU)],
  [["gemma-4b", "--worker-cpu", "4 cores"], "invalid-input", quantity("--worker-cpu", "4 cores", CPU)],
  [
    ["gemma-4b", "--worker-cpu", "0"],
    "invalid-input",
    'Invalid input: --worker-cpu must be more than zero (got "0").',
  ],
  [["gemma-4b", "--image", "Ray:latest"], "invalid-input", image("Ray:latest")],
  [["gemma-4b", "--image", "ray llm"], "invalid-input", image("ray llm")],
  // injection attempts
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["m", "--model", "google/${schema.spec.x}"], "invalid-input", unsafe("--model", KRO)],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["gemma-4b", "--worker-memory", "${string(1)}"], "invalid-input", unsafe("--worker-memory", KRO)],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
  [["gemma-4b", "--image", "ray:${x}"], "invalid-input", unsafe("--image", KRO)],
  [["m", "--model", "google/gemma\nspec:"], "invalid-input", unsafe("--model", "contains a line break")],
  [
    ["gemma-4b", "--worker-cpu", "4\n  gpuCount: 8"],
    "invalid-input",
    unsafe("--worker-cpu", "contains a line break"),
  ],
  [["gemma-4b", "--image", "ray\u0000x"], "invalid-input", unsafe("--image", "contains a control character")],
  [
    ["gemma-4b", "--worker-memory", "24Gi\u001b[2J"],
    "invalid-input",
    unsafe("--worker-memory", "contains a control character"),
  ],
  [
    ["m", "--model", "google/gemma\u2028x"],
    "invalid-input",
    unsafe("--model", "contains a control character"),
  ],
  [["gemma-4b", "--worker-cpu", "4 #"], "invalid-input", quantity("--worker-cpu", "4 #", CPU)],
  [["m", "--model", 'google/"gemma"'], "invalid-input", hf('google/"gemma"')],
  [["m", "--model", "google/gemma: {x: 1}"], "invalid-input", hf("google/gemma: {x: 1}")],
  // does not fit (explicit --gpus): refused with what would work
  [
    ["llama33-70b", "--gpus", "1"],
    "does-not-fit",
    "meta-llama/Llama-3.3-70B-Instruct with --gpus 1 and --max-model-len 8192 does not fit any GPU family. What would work: --gpus 8 (fits every family); or --gpus 4 --instance-family g6e (L40S 48 GB).",
  ],
  [
    ["gemma-27b", "--gpus", "2"],
    "does-not-fit",
    "google/gemma-3-27b-it with --gpus 2 and --max-model-len 8192 fits only g6e, but the gpu-inference NodePool may launch any of g5/g6/g6e. What would work: --gpus 4 (fits every family); or --gpus 2 --instance-family g6e (L40S 48 GB).",
  ],
  [["gemma-4b", "--timeout", "soon", "--wait"], "invalid-input", duration("--timeout", "soon")],
  [
    ["gemma-4b", "--wait", "--no-push"],
    "invalid-input",
    "--wait follows what ArgoCD syncs from the remote, so it cannot be combined with --no-push.",
  ],
  [
    ["gemma-4b", "--image-pull-timeout", "0s", "--wait"],
    "invalid-input",
    duration("--image-pull-timeout", "0s"),
  ],
  [["gemma-4b", "--capacity-timeout", "forever"], "invalid-input", duration("--capacity-timeout", "forever")],
  [["nope-model"], "unknown-model", '"nope-model" is not in the model catalog (templates/models.yaml).'],
];

describe("deploy-model refuses bad input before writing anything", () => {
  // One repository for all cases (temp dirs live for one test); expect.soft reports every case
  // that fails, each with its argv, instead of stopping at the first.
  it(`refuses each of ${BAD.length} bad inputs with its own message (exit 2), writing and committing nothing`, async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const head = repo.git("rev-parse", "HEAD");
    const files = readdirSync(join(repo.dir, "platform", "workloads"));
    for (const [argv, code, message] of BAD) {
      const run = await runCli(["deploy-model", ...argv, "--json"], { cwd: repo.dir, env });
      const what = `deploy-model ${JSON.stringify(argv)}`;
      expect.soft(run.exitCode, `${what}: ${run.stdout}${run.stderr}`).toBe(2);
      if (run.exitCode === 2) {
        expect.soft(run.json(), what).toMatchObject({ ok: false, error: { code, message } });
      }
    }
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
