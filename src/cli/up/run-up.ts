import { UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import { renderStagesTable } from "./render.js";
import { runStages } from "./run-stages.js";

export interface UpOptions {
  from?: string;
  only?: string[];
  planOnly?: boolean;
}

export async function runUp(ctx: CommandContext, options: UpOptions): Promise<void> {
  // --from starts a range, --only picks stages: together one of them would be silently ignored.
  if (options.from !== undefined && options.only !== undefined && options.only.length > 0) {
    throw new UsageError(
      "--from and --only contradict each other: --from runs a stage and all after it, --only runs just the named stages.",
      {
        code: "invalid-input",
        hint: "Pass only one of them (--only may be repeated or comma-separated).",
        details: { flags: ["--from", "--only"] },
      },
    );
  }
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

export async function runPlan(ctx: CommandContext): Promise<void> {
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
