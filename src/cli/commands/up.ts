import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";
import { renderStagesTable } from "../up/render.js";
import { runStages } from "../up/run-stages.js";

interface UpOptions {
  from?: string;
  only?: string[];
  planOnly?: boolean;
}

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(",").filter(Boolean),
];

export const upCommand: CommandModule = {
  register(program: Command, action) {
    program
      .command("up")
      .description(
        "create the state bucket if needed, then init/plan/apply every Terraform stage in order; resumable and Ctrl-C safe",
      )
      .option(
        "--from <stage>",
        "start at this stage (path like 30.eks/30.cluster, or 30.cluster, or cluster)",
      )
      .option("--only <stage>", "run only this stage (repeatable, or comma-separated)", collect)
      .option("--plan-only", "plan every stage and change nothing (same as `aiplat plan`)", false)
      .addHelpText(
        "after",
        "\nEach plan with changes is shown and confirmed before it is applied (--yes applies without asking).\nRe-running continues where the last run stopped; Ctrl-C lets terraform save its state first.",
      )
      .action(action(runUp));
  },
};

async function runUp(ctx: CommandContext, options: UpOptions): Promise<void> {
  const mode = options.planOnly ? "plan" : "up";
  const report = await runStages(ctx, { mode, from: options.from, only: options.only });
  const next =
    mode === "plan"
      ? `Next: \`aiplat up --env ${ctx.env}\` applies these plans.`
      : `Next: \`aiplat bootstrap --env ${ctx.env}\` installs the ArgoCD applications.`;
  const head = mode === "plan" ? `Plan of environment ${ctx.env}:` : `Environment ${ctx.env} is up to date:`;
  ctx.io.result(
    { ...report, mode },
    [head, renderStagesTable(report, ctx.io.style), "", `Logs: ${report.logDir}`, next].join("\n"),
  );
}
