import { relative } from "node:path";
import { UsageError } from "../../core/errors.js";
import { checkGivenValues } from "../../core/init/given.js";
import { mergeRawInit } from "../../core/init/raw-input.js";
import type { CommandContext } from "../context.js";
import { type ExistingState, emptyExisting, loadAnswersFile, loadExisting } from "./load.js";
import type { InitOptions } from "./options.js";
import { toRawInit } from "./options.js";
import { FieldResolver } from "./resolver.js";
import { renderSummary, toResultData } from "./summary.js";
import { collectAnswers, resolveEnvName } from "./wizard.js";
import { writePlan } from "./write-step.js";

export async function runInit(ctx: CommandContext, options: InitOptions): Promise<void> {
  const root = ctx.root();
  const raw = mergeRawInit(toRawInit(options), await loadAnswersFile(ctx.cwd, options.answers));
  if (ctx.io.interactive) {
    const problems = checkGivenValues({ ...raw, env: ctx.envSource === "--env" ? ctx.env : raw.env });
    if (problems.length > 0) {
      throw new UsageError(`aiplat init: Invalid values:\n  ${problems.join("\n  ")}`, {
        code: "invalid-answers",
        hint: "Correct the values (see `aiplat init --help`); nothing was asked or written.",
        details: { problems },
      });
    }
  }
  const r = new FieldResolver(ctx.io, ctx.globals.yes);
  // --env wins, then the answers file, then AIPLAT_ENV; the recorded active environment only pre-fills.
  const fromFlagOrVar = ctx.envSource === "--env" || ctx.envSource === "AIPLAT_ENV";
  const env = await resolveEnvName(r, {
    given: ctx.envSource === "--env" ? ctx.env : (raw.env ?? (fromFlagOrVar ? ctx.env : undefined)),
    prefill: ctx.envSource === ".aiplat/active-env" ? ctx.env : undefined,
  });
  // Without a valid name there is nothing to pre-fill from; the questions go on so that one error
  // can name everything that is missing.
  const existing: ExistingState = env !== undefined ? await loadExisting(root, env) : emptyExisting(root);
  if (env !== undefined && existing.exists)
    ctx.io.info(`Pre-filling the answers from ${relative(root, existing.tfvarsPath)}.`);
  const plan = await collectAnswers(ctx, r, raw, env ?? "", existing);
  const report = await writePlan(ctx, plan, existing, { activate: options.activate !== false });
  ctx.io.result(toResultData(plan, report), renderSummary(plan, report, ctx.io.style));
}
