import type { DestroyCliOptions } from "../destroy/run-destroy.js";
import type { CommandModule } from "../program.js";

// The handler is imported when the command runs, so `aiplat --help` loads none of it.
export const destroyCommand: CommandModule = {
  register(program, action) {
    program
      .command("destroy")
      .description(
        "ordered GPU-safe teardown: stop GitOps, endpoints, load balancers, Karpenter nodes, apps and volumes, then the Terraform stages in reverse; ends with the leftover scan",
      )
      .option("--dry-run", "print the ordered plan built from what exists, and change nothing", false)
      .option("--keep-infra", "delete only what bills in the cluster; keep the Terraform stages", false)
      .option("--keep-backend", "keep the Terraform state bucket and its KMS key", false)
      .option("--sweep", "delete the leftovers the scan finds (asks first; --yes does not ask)", false)
      .option("--timeout <duration>", "how long each step may wait for its evidence (e.g. 45m)", "30m")
      .addHelpText(
        "after",
        "\nWithout --yes you type the environment name to confirm. Re-running after Ctrl-C or a failure continues where it stopped.\nExit 0 only when nothing billable is left.",
      )
      .action(
        action<DestroyCliOptions>(async (ctx, options) =>
          (await import("../destroy/run-destroy.js")).runDestroy(ctx, options),
        ),
      );
  },
};
