import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";
import { renderStagesTable } from "../up/render.js";
import { runStages } from "../up/run-stages.js";

export const planCommand: CommandModule = {
  register(program: Command, action) {
    program
      .command("plan")
      .description("plan every Terraform stage and report adds/changes/destroys per stage; changes nothing")
      .action(action(runPlan));
  },
};

async function runPlan(ctx: CommandContext): Promise<void> {
  const report = await runStages(ctx, { mode: "plan" });
  const changed = report.stages.filter(
    (s) => s.summary && s.summary.add + s.summary.change + s.summary.destroy > 0,
  );
  const next =
    changed.length > 0
      ? `${changed.length} stage(s) have changes. Apply them with \`aiplat up --env ${ctx.env}\`.`
      : "No changes: the infrastructure matches the configuration.";
  ctx.io.result(
    { ...report, mode: "plan" },
    [`Plan of environment ${ctx.env}:`, renderStagesTable(report, ctx.io.style), "", next].join("\n"),
  );
}
