import { chmodSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTerraform, type Terraform } from "../../adapters/terraform.js";
import { type AiplatError, InterruptedError, isAiplatError, UsageError } from "../../core/errors.js";
import {
  hasUnfinishedRun,
  recordStage,
  resumeCommand,
  resumePoint,
  selectStages,
  type UpJournal,
} from "../../core/stages/journal.js";
import {
  formatPlanSummary,
  type PlanSummary,
  planHasChanges,
  summarizePlan,
} from "../../core/stages/plan-summary.js";
import { resolveStageName, type StagePlanEntry, stateKey } from "../../core/stages/stages.js";
import type { CommandContext } from "../context.js";
import { type AwsBackend, guardCredentials, prepareAwsBackend } from "./aws-backend.js";
import { clusterCachePath, pickClusterOutputs, writeClusterCache } from "./cluster-cache.js";
import { refuseOldDockerHubSetting } from "./docker-hub-variables.js";
import { loadJournal, saveJournal } from "./journal-store.js";
import { countStateResources } from "./leftover-state.js";
import { progressReporter, runTask } from "./progress.js";
import { loadEnvironmentStages, tfvarsRegion } from "./stage-files.js";
import { terraformEnv } from "./terraform-env.js";

export interface StageRunOptions {
  mode: "up" | "plan";
  from?: string | undefined;
  only?: readonly string[] | undefined;
}

export interface StageOutcome {
  stage: string;
  result: "applied" | "no-changes" | "planned" | "skipped" | "not-selected";
  summary?: PlanSummary | undefined;
  reason?: string | undefined;
  elapsedMs?: number | undefined;
}

export interface StagesReport {
  environment: string;
  stages: StageOutcome[];
  logDir: string;
  resumedFrom?: string | undefined;
  stateBucket?: string | undefined;
}

/** `aiplat up` and `aiplat plan`: every stage in order, resumable, Ctrl-C safe. */
export async function runStages(ctx: CommandContext, options: StageRunOptions): Promise<StagesReport> {
  const root = ctx.root();
  const env = ctx.env;
  const state = ctx.state();
  const loaded = await loadEnvironmentStages(root, env);
  await refuseOldDockerHubSetting(root, env, loaded.varFiles, ctx.processEnv);
  const all = loaded.entries.map((e) => e.path);
  const from = options.from ? resolveStageName(options.from, all, "--from") : undefined;
  const only = options.only?.map((o) => resolveStageName(o, all, "--only"));
  const selected = new Set(selectStages(all, { from, only }));
  const resume = resumeCommand(env, { from, only });
  const logDir = state.logDir(env);
  const journalPath = state.journalPath(env, "up");
  let journal = await loadJournal(journalPath, env);
  const report: StagesReport = { environment: env, stages: [], logDir };

  if (options.mode === "up" && !from && !only && hasUnfinishedRun(journal)) {
    report.resumedFrom = resumePoint(journal, all);
    const record = report.resumedFrom ? journal.stages[report.resumedFrom] : undefined;
    ctx.io.info(
      `Resuming: the last run stopped at ${report.resumedFrom} (${record?.status ?? "unknown"}). Earlier stages are re-checked and applied again only if they changed.`,
    );
  }

  const needsAws = loaded.entries.some(
    (e) => e.backend === "s3" && selected.has(e.path) && (e.enabled || only?.includes(e.path)),
  );
  let backend: AwsBackend | undefined;
  if (needsAws) {
    const prepared = await prepareAwsBackend(ctx, tfvarsRegion(loaded.tfvars), options.mode);
    backend = prepared;
    report.stateBucket = prepared.bucket;
    if (prepared.created)
      ctx.io.success(
        `Created the Terraform state bucket ${prepared.bucket} (versioned, encrypted, private).`,
      );
  }

  const save = async (next: UpJournal) => {
    journal = next;
    if (options.mode === "up") await saveJournal(journalPath, journal);
  };

  for (const entry of loaded.entries) {
    if (!selected.has(entry.path)) {
      report.stages.push({ stage: entry.path, result: "not-selected" });
      continue;
    }
    if (!entry.enabled) {
      const leftover = await countStateResources({
        backend: entry.backend,
        stageDir: join(loaded.terraformDir, entry.path),
        stage: entry.path,
        env,
        s3: backend ? { client: backend.s3, bucket: backend.bucket } : undefined,
      });
      // Named with --only on purpose: plan it, so its count-gated resources show up as destroys.
      const runAnyway = (leftover ?? 0) > 0 && only?.includes(entry.path) === true;
      if (!runAnyway) {
        const reason = leftover
          ? `${entry.skipReason}, but ${leftover} resource(s) from an earlier apply remain`
          : entry.skipReason;
        if (leftover) warnLeftover(ctx, entry.path, leftover, entry.skipReason);
        report.stages.push({ stage: entry.path, result: "skipped", reason });
        await save(recordStage(journal, entry.path, "skipped", new Date(ctx.clock.now())));
        continue;
      }
    }
    if (ctx.signal.aborted) throw interrupted(`Stopped before stage ${entry.path}.`, resume, logDir);
    if (backend && entry.backend === "s3" && options.mode === "up") {
      await guardCredentials(ctx, backend, entry.path, resume);
    }
    const started = ctx.clock.now();
    const tf = createTerraform({
      runner: ctx.adapters.process,
      stageDir: join(loaded.terraformDir, entry.path),
      stage: entry.path,
      logDir,
      redactor: ctx.redactor,
      signal: ctx.signal,
      env: terraformEnv(ctx.processEnv),
    });
    const planFile = join(state.path, "plans", env, `${entry.path.replaceAll("/", "_")}.tfplan`);
    mkdirSync(join(state.path, "plans", env), { recursive: true, mode: 0o700 });
    try {
      if (options.mode === "up")
        await save(recordStage(journal, entry.path, "running", new Date(ctx.clock.now())));
      const summary = await planStage(ctx, tf, entry, backend, planFile, loaded.varFiles);
      // terraform creates the plan 0644; it holds every variable value, the Docker Hub token included.
      if (existsSync(planFile)) chmodSync(planFile, 0o600);
      if (options.mode === "plan") {
        report.stages.push({
          stage: entry.path,
          result: "planned",
          summary,
          elapsedMs: elapsed(ctx, started),
        });
        continue;
      }
      if (!planHasChanges(summary)) {
        await save(recordStage(journal, entry.path, "done", new Date(ctx.clock.now()), { summary }));
        await cacheClusterOutputs(ctx, tf, entry, loaded.tfvars);
        report.stages.push({
          stage: entry.path,
          result: "no-changes",
          summary,
          elapsedMs: elapsed(ctx, started),
        });
        continue;
      }
      await confirmApply(ctx, entry.path, summary, resume);
      await runTask(ctx, `${entry.path}: apply (${formatPlanSummary(summary)})`, async (task) => {
        await tf.apply(planFile, loaded.varFiles, progressReporter(ctx, task, `${entry.path}: apply`));
        task.setTitle(`${entry.path}: applied (${formatPlanSummary(summary)})`);
      });
      await save(recordStage(journal, entry.path, "done", new Date(ctx.clock.now()), { summary }));
      await cacheClusterOutputs(ctx, tf, entry, loaded.tfvars);
      report.stages.push({ stage: entry.path, result: "applied", summary, elapsedMs: elapsed(ctx, started) });
    } catch (error) {
      throw await recordFailure(error, entry.path);
    } finally {
      rmSync(planFile, { force: true });
    }
  }
  return report;

  async function recordFailure(error: unknown, stage: string): Promise<unknown> {
    const aborted = error instanceof InterruptedError || ctx.signal.aborted;
    if (options.mode === "up") {
      const message = error instanceof Error ? ctx.redactor.redact(error.message) : String(error);
      await save(
        recordStage(journal, stage, aborted ? "interrupted" : "failed", new Date(ctx.clock.now()), {
          error: message,
        }),
      );
    }
    // A declined plan changed nothing: its own message says so (no "terraform saved its state").
    if (isAiplatError(error) && error.code === "not-confirmed") return error;
    if (aborted) {
      const what = error instanceof InterruptedError ? error.message : `Stage ${stage} was interrupted.`;
      return interrupted(what, options.mode === "up" ? resume : `aiplat plan --env ${env}`, logDir);
    }
    if (isAiplatError(error) && error.code === "terraform-failed") {
      const log = (error.details?.log as string | undefined) ?? logDir;
      return new (error.constructor as new (m: string, o: object) => AiplatError)(error.message, {
        code: error.code,
        details: error.details,
        cause: error,
        hint: `Full log: ${log}\nFix the cause, then resume with \`${options.mode === "up" ? resume : `aiplat plan --env ${env}`}\`.`,
      });
    }
    return error;
  }
}

async function planStage(
  ctx: CommandContext,
  tf: Terraform,
  entry: StagePlanEntry,
  backend: AwsBackend | undefined,
  planFile: string,
  varFiles: readonly string[],
): Promise<PlanSummary> {
  let summary: PlanSummary | undefined;
  await runTask(ctx, `${entry.path}: plan`, async (task) => {
    task.output("terraform init");
    await tf.init(
      entry.backend === "s3" && backend
        ? { bucket: backend.bucket, key: stateKey(entry.path), region: backend.region, use_lockfile: "true" }
        : undefined,
    );
    task.output(`terraform workspace select ${ctx.env}`);
    await tf.selectWorkspace(ctx.env);
    await tf.plan(planFile, varFiles, progressReporter(ctx, task, `${entry.path}: plan`));
    summary = summarizePlan(await tf.show(planFile));
    task.setTitle(`${entry.path}: plan — ${formatPlanSummary(summary)}`);
  });
  if (!summary) throw new Error("plan produced no summary");
  return summary;
}

async function confirmApply(ctx: CommandContext, stage: string, summary: PlanSummary, resume: string) {
  if (ctx.globals.yes) return;
  if (!ctx.io.interactive) {
    throw new UsageError(
      `Stage ${stage} has changes (${formatPlanSummary(summary)}) and there is no terminal to confirm them on.`,
      {
        code: "confirmation-needed",
        hint: `Review them with \`aiplat plan --env ${ctx.env}\`, then apply with \`${resume} --yes\`.`,
      },
    );
  }
  const lines = summary.resources.slice(0, 15).map((r) => `  ${r.action.padEnd(7)} ${r.address}`);
  if (summary.resources.length > 15) lines.push(`  … and ${summary.resources.length - 15} more`);
  ctx.io.info([`Plan for ${stage}: ${formatPlanSummary(summary)}`, ...lines].join("\n"));
  const ok = await ctx.io.prompt.confirm({ flag: "--yes", message: `Apply ${stage}?`, default: true });
  if (!ok) {
    throw new InterruptedError(`Stopped before applying ${stage}: the plan was not confirmed.`, {
      code: "not-confirmed",
      hint: `Nothing was changed in ${stage}. Resume with \`${resume}\`.`,
    });
  }
}

async function cacheClusterOutputs(
  ctx: CommandContext,
  tf: Terraform,
  entry: StagePlanEntry,
  tfvars: Record<string, unknown>,
): Promise<void> {
  if (!/(^|\/)\d*\.?cluster$/.test(entry.path)) return;
  const outputs = await tf.output();
  const picked = pickClusterOutputs(outputs, tfvarsRegion(tfvars));
  if (picked) await writeClusterCache(clusterCachePath(ctx.state().path, ctx.env), picked);
}

/** A switched-off stage that still has resources: they keep running (and billing) until removed. */
function warnLeftover(ctx: CommandContext, stage: string, count: number, why: string | undefined): void {
  ctx.io.warn(
    [
      `Stage ${stage} is switched off (${why}) but its state still holds ${count} resource(s) from an earlier apply; they keep running.`,
      `  To remove them: \`aiplat up --env ${ctx.env} --only ${stage}\` (plans their destruction and asks first).`,
      "  To keep managing them: set that switch back to true in the tfvars.",
    ].join("\n"),
  );
}

function elapsed(ctx: CommandContext, started: number): number {
  return ctx.clock.now() - started;
}

function interrupted(message: string, resume: string, logDir: string): InterruptedError {
  return new InterruptedError(message, {
    code: "interrupted",
    hint: `Terraform saved its state and released its lock. Resume with \`${resume}\` (logs: ${logDir}).`,
  });
}
