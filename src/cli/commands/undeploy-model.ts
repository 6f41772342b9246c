import type { CommandContext } from "../context.js";
import type { UndeployOptions } from "../deploy/undeploy-flow.js";
import type { CommandModule } from "../program.js";

export const undeployModelCommand: CommandModule = {
  register(program, action) {
    program
      .command("undeploy-model")
      .description(
        "remove an endpoint: git rm its workload file, commit, push, deregister it from LiteLLM; --wait follows until its GPU nodes are released",
      )
      .argument("<name>", "endpoint name")
      .option("--no-push", "commit only")
      .option("--no-verify", "skip the repository's git commit hooks (they run by default)")
      .option("--wait", "follow until the RayService is gone and the GPU nodes are released", false)
      .option("--timeout <duration>", "how long --wait follows (e.g. 15m)", "30m")
      .option(
        "--unreachable-timeout <duration>",
        "--wait fails when the cluster cannot be reached for this long",
        "2m",
      )
      .action(action(runUndeployModel));
  },
};

async function runUndeployModel(
  ctx: CommandContext,
  options: UndeployOptions,
  args: string[],
): Promise<void> {
  const { runUndeploy } = await import("../deploy/undeploy-flow.js");
  const outcome = await runUndeploy(ctx, args[0] ?? "", options);
  ctx.io.result(outcome.data, outcome.human);
}
