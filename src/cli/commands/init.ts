import { addInitOptions } from "../init/options.js";
import type { CommandModule } from "../program.js";

export const initCommand: CommandModule = {
  register(program, action) {
    addInitOptions(
      program
        .command("init")
        .description(
          "configure an environment: asks (or takes flags / --answers), discovers Identity Center, writes terraform/00.global/vars/<env>.tfvars and points argocd/ at your fork",
        ),
    ).action(
      action(async (ctx, options) => (await import("../init/run-init.js")).runInit(ctx, options as never)),
    );
  },
};
