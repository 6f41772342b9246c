import type { CommandContext } from "../context.js";
import type { DeployOptions } from "../deploy/deploy-plan.js";
import type { CommandModule } from "../program.js";

// Declares the command only; the handler is imported when it runs (fast `aiplat --help`).

export const deployModelCommand: CommandModule = {
  register(program, action) {
    program
      .command("deploy-model")
      .description(
        "declare a model endpoint (platform/workloads/<name>.yaml), commit exactly that file and push it; --wait follows it until it answers",
      )
      .argument("<name>", "endpoint name; a catalog short name (e.g. gemma-4b) needs no --model")
      .option("--model <hf-id>", "HuggingFace model id (org/name) for a model outside the catalog")
      .option("--gpus <n>", "GPUs per worker (1, 2, 4 or 8; default: the smallest that fits)")
      .option("--min-replicas <n>", "minimum replicas (1-16)")
      .option("--max-replicas <n>", "maximum replicas (1-16)")
      .option("--max-model-len <n>", "context window in tokens (default: the catalog's)")
      .option("--worker-memory <quantity>", "memory per GPU worker, e.g. 24Gi")
      .option("--worker-cpu <quantity>", "CPU per GPU worker, e.g. 4")
      .option("--image <image>", "Ray LLM image (a Ray 2.53.x image)")
      .option(
        "--instance-family <families>",
        "run the GPU workers only on these instance families, e.g. g6e (repeatable or comma-separated: g5, g6, g6e)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option("--dry-run", "print the InferenceEndpoint and what KRO makes of it; write nothing", false)
      .option("--no-push", "commit only")
      .option("--no-verify", "skip the repository's git commit hooks (they run by default)")
      .option("--wait", "follow the rollout layer by layer until the model answers through LiteLLM", false)
      .option("--timeout <duration>", "how long --wait follows (e.g. 90s, 15m, 1h30m)", "30m")
      .option(
        "--image-pull-timeout <duration>",
        "--wait fails when the image pull keeps failing this long",
        "5m",
      )
      .option(
        "--capacity-timeout <duration>",
        "--wait fails when no GPU instance type could be launched for this long",
        "3m",
      )
      .option(
        "--unreachable-timeout <duration>",
        "--wait fails when the cluster cannot be reached for this long",
        "2m",
      )
      .option(
        "--force",
        "deploy although the model does not fit or exceeds gpu_node_limit, or change a declared endpoint (values not given are kept)",
        false,
      )
      .action(action(runDeployModel));
  },
};

async function runDeployModel(ctx: CommandContext, options: DeployOptions, args: string[]): Promise<void> {
  const { runDeploy } = await import("../deploy/deploy-flow.js");
  const outcome = await runDeploy(ctx, args[0] ?? "", options);
  ctx.io.result(outcome.data, outcome.human);
}
