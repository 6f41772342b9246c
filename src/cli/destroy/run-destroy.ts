/**
 * `aiplat destroy`: the plan from reality, typed confirmation, then each step in order, each
 * ending on evidence, recorded in the journal (.aiplat/journal/<env>/destroy.json) so a re-run
 * after Ctrl-C or a failure says where it resumes and re-checks every step (a finished step whose
 * objects are gone passes at once). Exit 0 only when nothing billable is left.
 */
import { createAwsIdentity } from "../../adapters/aws/identity.js";
import { formatHourly, type Leftover, toLeftover, totalHourly } from "../../core/destroy/leftovers.js";
import { buildDestroyPlan, type DestroyStep, STAGE_STEP_PREFIX } from "../../core/destroy/plan.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { ExternalError, InterruptedError, PrerequisiteError } from "../../core/errors.js";
import { hasUnfinishedRun, recordStage, resumePoint } from "../../core/stages/journal.js";
import { estimateStageMinutes } from "../../core/stages/stages.js";
import type { CommandContext } from "../context.js";
import { loadJournal, saveJournal } from "../up/journal-store.js";
import { removeStateBackend } from "./backend-step.js";
import { deleteLoadBalancers, deleteNodePools } from "./compute-steps.js";
import { confirmEnvironment } from "./confirm.js";
import { gatherFacts, scanCloudSafely } from "./facts.js";
import { deleteApplications, deleteEndpoints, stopGitops } from "./gitops-steps.js";
import { type LeftoverOutcome, scanAndSweep } from "./leftover-step.js";
import { renderLeftovers, renderPlan } from "./render.js";
import { destroyStage } from "./stage-steps.js";
import type { StepRun } from "./step-context.js";

export interface DestroyCliOptions {
  dryRun?: boolean;
  keepInfra?: boolean;
  keepBackend?: boolean;
  sweep?: boolean;
  timeout?: string;
}

/** The command that resumes, with the user's own flags carried over. */
export function destroyCommand(ctx: CommandContext, options: DestroyCliOptions): string {
  const parts = ["aiplat destroy", `--env ${ctx.env}`];
  if (ctx.globals.root) parts.push(`--root ${ctx.globals.root}`);
  if (ctx.globals.kubeconfig) parts.push(`--kubeconfig ${ctx.globals.kubeconfig}`);
  if (ctx.globals.context) parts.push(`--context ${ctx.globals.context}`);
  if (options.keepInfra) parts.push("--keep-infra");
  if (options.keepBackend) parts.push("--keep-backend");
  if (options.timeout && options.timeout !== "30m") parts.push(`--timeout ${options.timeout}`);
  return parts.join(" ");
}

export async function runDestroy(ctx: CommandContext, options: DestroyCliOptions): Promise<void> {
  // The same range and message as every other duration option.
  const timeoutMs = parseDurationOption("--timeout", options.timeout ?? "30m");
  const opts = {
    keepInfra: Boolean(options.keepInfra),
    keepBackend: Boolean(options.keepBackend),
    sweep: Boolean(options.sweep),
  };
  const resume = destroyCommand(ctx, options);
  const gathered = await gatherFacts(ctx);
  const { facts } = gathered;
  const plan = buildDestroyPlan(facts, opts);
  if (options.dryRun) {
    ctx.io.result(
      { dryRun: true, ...plan, cloud: facts.cloud, cluster: facts.cluster },
      renderPlan(plan, facts.cloud),
    );
    return;
  }
  ctx.io.info(renderPlan(plan, facts.cloud));
  await confirmEnvironment(
    ctx,
    `This deletes environment ${ctx.env}${opts.keepInfra ? " (in-cluster resources only, --keep-infra)" : ""}`,
    resume,
  );

  const journalPath = ctx.state().journalPath(ctx.env, "destroy");
  let journal = await loadJournal(journalPath, ctx.env);
  if (hasUnfinishedRun(journal)) {
    const at = resumePoint(
      journal,
      plan.steps.map((s) => s.id),
    );
    ctx.io.info(
      `Resuming: the last run stopped at ${at ?? "the end"}. Every step re-checks what still exists; finished ones pass at once.`,
    );
  }
  const save = async (
    step: string,
    status: "running" | "done" | "failed" | "interrupted" | "skipped",
    error?: string,
  ) => {
    journal = recordStage(journal, step, status, new Date(ctx.clock.now()), error ? { error } : {});
    await saveJournal(journalPath, journal);
  };
  const deleted: string[] = [];
  // The state bucket's KMS key is a leftover only once the bucket is gone (or was before this run).
  const backendGoes =
    !opts.keepInfra &&
    !opts.keepBackend &&
    !facts.stateBucketSharedWith?.length &&
    gathered.stages.entries.some((e) => e.backend === "s3");
  let stateKeyIsLeftover = backendGoes && !gathered.backend;
  const run: StepRun = {
    ctx,
    cluster: gathered.cluster,
    clusterName: facts.clusterName,
    region: gathered.region,
    vpcId: gathered.vpcId,
    timeoutMs,
    sweep: opts.sweep,
    resume,
    deleted: (what) => deleted.push(what),
    cloud: async (kinds) => {
      const scan = await scanCloudSafely(ctx, {
        clusterName: facts.clusterName,
        region: gathered.region,
        vpcId: gathered.vpcId,
        kinds,
        stateKey: stateKeyIsLeftover,
      });
      if (typeof scan === "string")
        throw new ExternalError(`Cannot read the AWS account: ${scan}`, { code: "aws-unreadable" });
      return scan.items.map(toLeftover);
    },
  };
  let leftovers: LeftoverOutcome = { left: [], swept: [], sweepFailures: [] };
  for (const step of plan.steps) {
    if (step.skip) {
      await save(step.id, "skipped");
      continue;
    }
    if (ctx.signal.aborted) {
      // Recorded, so the next run says where it resumes even when Ctrl-C came between two steps.
      await save(step.id, "interrupted");
      throw interrupted(`Stopped before: ${step.title}.`, resume);
    }
    await save(step.id, "running");
    try {
      const outcome = await runStep(run, step, gathered, opts, plan.steps);
      if (outcome) leftovers = outcome;
      if (step.kind === "state-backend") stateKeyIsLeftover = backendGoes;
      await save(step.id, "done");
    } catch (error) {
      const aborted = error instanceof InterruptedError || ctx.signal.aborted;
      await save(step.id, aborted ? "interrupted" : "failed", ctx.redactor.redact((error as Error).message));
      if (aborted) throw interrupted(`Interrupted during: ${step.title}.`, resume);
      throw error;
    }
  }
  report(ctx, { deleted, leftovers, resume, keepInfra: opts.keepInfra, clusterName: facts.clusterName });
}

async function runStep(
  run: StepRun,
  step: DestroyStep,
  gathered: Awaited<ReturnType<typeof gatherFacts>>,
  opts: { keepInfra: boolean; keepBackend: boolean; sweep: boolean },
  steps: readonly DestroyStep[],
): Promise<LeftoverOutcome | undefined> {
  switch (step.kind) {
    case "preflight":
      await preflight(run, gathered, steps);
      return undefined;
    case "stop-gitops":
      await stopGitops(run);
      return undefined;
    case "endpoints":
      await deleteEndpoints(run);
      return undefined;
    case "load-balancers":
      await deleteLoadBalancers(run);
      return undefined;
    case "node-pools":
      await deleteNodePools(run);
      return undefined;
    case "applications":
      await deleteApplications(run);
      return undefined;
    case "stage": {
      const path = step.id.slice(STAGE_STEP_PREFIX.length);
      const entry = gathered.stages.entries.find((e) => e.path === path);
      if (entry) await destroyStage(run, gathered.stages, entry, gathered.backend);
      return undefined;
    }
    case "state-backend":
      if (gathered.backend) await removeStateBackend(run, gathered.backend);
      return undefined;
    case "leftovers":
      return scanAndSweep(run, opts);
    case "report":
      return undefined;
  }
}

/** Credentials must outlast the whole plan: an SSO session expiring mid-destroy leaves half a platform. */
async function preflight(
  run: StepRun,
  gathered: Awaited<ReturnType<typeof gatherFacts>>,
  steps: readonly DestroyStep[],
) {
  const { ctx } = run;
  const minutes =
    steps.filter((s) => !s.skip && s.kind === "stage").reduce((m, s) => m + estimateStageMinutes(s.id), 0) +
    (gathered.cluster ? 20 : 0);
  const expiry = await createAwsIdentity(ctx.adapters.aws, gathered.region).credentialExpiry();
  if (expiry && expiry.getTime() - ctx.clock.now() < minutes * 60_000) {
    throw new PrerequisiteError(
      `Not starting: your AWS credentials expire before the teardown can finish (about ${minutes} minutes).`,
      {
        code: "credentials-expiring",
        hint: `Log in again (aws sso login), then run \`${run.resume}\`.`,
        details: { expiresAt: expiry.toISOString() },
      },
    );
  }
  if (!gathered.cluster) {
    const reason = gathered.facts.cluster.reachable ? "" : gathered.facts.cluster.reason;
    ctx.io.warn(
      `The cluster does not answer (${reason}): the in-cluster steps are skipped; Terraform and the leftover scan go on, and the scan covers what the cluster's controllers made.`,
    );
  }
}

function report(
  ctx: CommandContext,
  r: {
    deleted: string[];
    leftovers: LeftoverOutcome;
    resume: string;
    keepInfra: boolean;
    clusterName: string;
  },
): void {
  const left: Leftover[] = r.leftovers.left;
  const billable = left.filter((l) => l.hourlyCost > 0);
  const data = {
    environment: ctx.env,
    cluster: r.clusterName,
    keepInfra: r.keepInfra,
    deleted: r.deleted,
    swept: r.leftovers.swept,
    leftovers: left,
    hourlyCost: totalHourly(left),
  };
  if (left.length > 0) {
    throw new ExternalError(
      [
        `Teardown of ${ctx.env} finished its steps, but ${left.length} resource(s) are left (${formatHourly(totalHourly(left))}${billable.length === 0 ? ", none billed by the hour" : ""}):`,
        ...renderLeftovers(left),
        ...r.leftovers.sweepFailures.map((f) => `  sweep failed: ${f}`),
      ].join("\n"),
      {
        code: "leftovers",
        details: data,
        hint: `Delete them with \`${r.resume} --sweep\` (asks first), or by hand, then run \`${r.resume}\` again to check.`,
      },
    );
  }
  const human = [
    r.keepInfra
      ? `Everything in the cluster of ${ctx.env} that bills is gone; the Terraform stages are kept (--keep-infra).`
      : `Environment ${ctx.env} is gone: nothing tagged for ${r.clusterName} is left in AWS.`,
    ...r.deleted.map((d) => `  deleted: ${d}`),
  ].join("\n");
  ctx.io.result(data, human);
}

function interrupted(message: string, resume: string): InterruptedError {
  return new InterruptedError(message, {
    code: "interrupted",
    hint: `Terraform saved its state and released its lock. Resume with \`${resume}\`.`,
  });
}
