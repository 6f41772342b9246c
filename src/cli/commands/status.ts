import { ExternalError, UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";

export const statusCommand: CommandModule = {
  register(program, action) {
    program
      .command("status")
      .description(
        "one screen: Terraform stages, cluster and capabilities, ArgoCD apps, endpoints, GPU nodes with hourly cost, LiteLLM models",
      )
      .option("-w, --watch", "redraw when the cluster changes (watches, not polling); Ctrl-C to stop", false)
      .action(action(runStatus));
  },
};

async function runStatus(ctx: CommandContext, options: { watch?: boolean }): Promise<void> {
  if (options.watch) {
    if (ctx.io.json) {
      throw new UsageError("--watch redraws a screen and cannot be combined with --json.", {
        code: "invalid-input",
        hint: "Drop --watch for one JSON document: aiplat status --json",
      });
    }
    const { watchStatus } = await import("../status/watch-status.js");
    await watchStatus(ctx);
    return;
  }
  const [{ collectStatus }, { formatStatus }, { unreadSections, SECTION_TITLES }] = await Promise.all([
    import("../status/collect.js"),
    import("../../core/status/format.js"),
    import("../../core/status/types.js"),
  ]);
  const status = await collectStatus(ctx);
  ctx.io.result({ status }, formatStatus(status, ctx.clock.now(), ctx.io.style));
  const unread = unreadSections(status);
  if (unread.length > 0) {
    // Exit 5: the screen above is still complete for every section that could be read.
    throw new ExternalError(
      `Some sections could not be read: ${unread.map((s) => SECTION_TITLES[s]).join(", ")}.`,
      { code: "status-incomplete" },
    );
  }
}
