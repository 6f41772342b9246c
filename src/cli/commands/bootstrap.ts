import type { BootstrapOptions } from "../bootstrap/run-bootstrap.js";
import type { CommandModule } from "../program.js";

export const bootstrapCommand: CommandModule = {
  register(program, action) {
    program
      .command("bootstrap")
      .description(
        "server-side apply argocd/, then wait until every Application is Synced and Healthy, showing why one is not",
      )
      .option("--wait", "wait for the applications (the default)", true)
      .option("--no-wait", "apply and return without waiting")
      .option("--timeout <duration>", "how long to wait, e.g. 20m or 1h30m", "20m")
      .action(
        action<BootstrapOptions>(async (ctx, options) =>
          (await import("../bootstrap/run-bootstrap.js")).runBootstrap(ctx, options),
        ),
      );
  },
};
