import type { CommandModule } from "../program.js";
import type { UpOptions } from "../up/run-up.js";

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(",").filter(Boolean),
];

// The handler is imported when the command runs, so `aiplat --help` loads none of it.
export const upCommand: CommandModule = {
  register(program, action) {
    program
      .command("up")
      .description(
        "create the state bucket if needed, then init/plan/apply every Terraform stage in order; resumable and Ctrl-C safe",
      )
      .option(
        "--from <stage>",
        "start at this stage (path like 30.eks/30.cluster, or 30.cluster, or cluster)",
      )
      .option(
        "--only <stage>",
        "run only this stage (repeatable, or comma-separated); a switched-off stage named here is planned if it still has resources, to remove them",
        collect,
      )
      .option("--plan-only", "plan every stage and change nothing (same as `aiplat plan`)", false)
      .addHelpText(
        "after",
        "\nEach plan with changes is shown and confirmed before it is applied (--yes applies without asking).\nRe-running continues where the last run stopped; Ctrl-C lets terraform save its state first.",
      )
      .action(
        action<UpOptions>(async (ctx, options) => (await import("../up/run-up.js")).runUp(ctx, options)),
      );
  },
};
