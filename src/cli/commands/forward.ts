import type { CommandModule } from "../program.js";
import { parsePositiveInt } from "../program.js";

export const forwardCommand: CommandModule = {
  register(program, action) {
    program
      .command("forward")
      .argument("<target...>", "litellm, webui, langfuse or ray:<endpoint>")
      .description(
        "port-forward to platform services through the Kubernetes API (reconnects when the pod changes); prints the URLs and runs until Ctrl-C",
      )
      .option("--port <n>", "local port (one target only); taken → exit 2", parsePositiveInt("--port"))
      .action(
        action<{ port?: number }>(async (ctx, options, args) =>
          (await import("../access/run-forward.js")).runForward(ctx, args, options),
        ),
      );
  },
};
