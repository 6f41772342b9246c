import type { CommandContext } from "../context.js";
import type { ScaleOptions } from "../deploy/scale-flow.js";
import type { CommandModule } from "../program.js";

// Declares the command only; the handler is imported when it runs (fast `aiplat --help`).

export const scaleCommand: CommandModule = {
  register(program, action) {
    program
      .command("scale")
      .description(
        "change an endpoint's replica range alone: update platform/workloads/<name>.yaml, commit exactly that file and push it",
      )
      .argument("<name>", "a declared endpoint (see `aiplat models`)")
      .option("--min-replicas <n>", "minimum replicas (1-16)")
      .option("--max-replicas <n>", "maximum replicas (1-16)")
      .option("--no-push", "commit only")
      .option("--no-verify", "skip the repository's git commit hooks (they run by default)")
      .option("--wait", "follow the rollout until the endpoint answers through LiteLLM", false)
      .option("--timeout <duration>", "how long --wait follows (e.g. 90s, 15m, 1h30m)", "30m")
      .option("--force", "scale although the model does not fit or the range exceeds gpu_node_limit", false)
      .action(action(runScaleCommand));
  },
};

async function runScaleCommand(ctx: CommandContext, options: ScaleOptions, args: string[]): Promise<void> {
  const { runScale } = await import("../deploy/scale-flow.js");
  const outcome = await runScale(ctx, args[0] ?? "", options);
  ctx.io.result(outcome.data, outcome.human);
}
