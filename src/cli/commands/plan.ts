import type { CommandModule } from "../program.js";

export const planCommand: CommandModule = {
  register(program, action) {
    program
      .command("plan")
      .description("plan every Terraform stage and report adds/changes/destroys per stage; changes nothing")
      .action(action(async (ctx) => (await import("../up/run-up.js")).runPlan(ctx)));
  },
};
