/**
 * Step 7: `terraform destroy` of one stage, with up's terraform adapter (one SIGINT, terraform
 * saves its state and releases its lock), credential guard and logs. It plans the destruction
 * and applies that plan; the step ends when the state records no resource. A DependencyViolation
 * is explained with the ENIs and security groups still in the VPC and who made them.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTerraform } from "../../adapters/terraform.js";
import { describeLeftover, type Leftover } from "../../core/destroy/leftovers.js";
import { ExternalError, isAiplatError } from "../../core/errors.js";
import { type StagePlanEntry, stateKey } from "../../core/stages/stages.js";
import type { AwsBackend } from "../up/aws-backend.js";
import { guardCredentials } from "../up/aws-backend.js";
import { countStateResources } from "../up/leftover-state.js";
import { progressReporter, runTask } from "../up/progress.js";
import type { EnvironmentStages } from "../up/stage-files.js";
import { confirmSweep, sweepAndWait } from "./leftover-step.js";
import type { StepRun } from "./step-context.js";

/**
 * With --sweep, a DependencyViolation whose blockers are named in AWS is taken over: they are
 * deleted (after confirmation or --yes), awaited until AWS shows them gone, and the stage is
 * destroyed once more. Without --sweep the error names them and the command that does this.
 */
export async function destroyStage(
  run: StepRun,
  stages: EnvironmentStages,
  entry: StagePlanEntry,
  backend: AwsBackend | undefined,
): Promise<void> {
  try {
    await destroyOnce(run, stages, entry, backend);
  } catch (error) {
    if (!(isAiplatError(error) && error.code === "dependency-violation") || !run.sweep) throw error;
    const blockers = await findBlockers(run);
    if (blockers.length === 0 || !(await confirmSweep(run, blockers))) throw error;
    run.ctx.io.warn(
      `${entry.path}: deleting the ${blockers.length} resource(s) that hold the VPC through AWS (--sweep), then destroying the stage again.`,
    );
    await sweepAndWait(run, blockers);
    await destroyOnce(run, stages, entry, backend);
  }
}

async function destroyOnce(
  run: StepRun,
  stages: EnvironmentStages,
  entry: StagePlanEntry,
  backend: AwsBackend | undefined,
): Promise<void> {
  const { ctx } = run;
  const stageDir = join(stages.terraformDir, entry.path);
  const s3 = backend ? { client: backend.s3, bucket: backend.bucket } : undefined;
  const before = await countStateResources({
    backend: entry.backend,
    stageDir,
    stage: entry.path,
    env: ctx.env,
    s3,
  });
  if (before === 0) return;
  if (backend && entry.backend === "s3") await guardCredentials(ctx, backend, entry.path, run.resume);
  const state = ctx.state();
  const tf = createTerraform({
    runner: ctx.adapters.process,
    stageDir,
    stage: entry.path,
    logDir: state.logDir(ctx.env),
    redactor: ctx.redactor,
    signal: ctx.signal,
    env: { ...ctx.processEnv },
  });
  const plansDir = join(state.path, "plans", ctx.env);
  mkdirSync(plansDir, { recursive: true, mode: 0o700 });
  const planFile = join(plansDir, `${entry.path.replaceAll("/", "_")}.destroy.tfplan`);
  try {
    await runTask(ctx, `terraform destroy ${entry.path}`, async (task) => {
      const base = `terraform destroy ${entry.path}`;
      task.output("terraform init");
      await tf.init(
        entry.backend === "s3" && backend
          ? {
              bucket: backend.bucket,
              key: stateKey(entry.path),
              region: backend.region,
              use_lockfile: "true",
            }
          : undefined,
      );
      await tf.selectWorkspace(ctx.env);
      await tf.plan(planFile, stages.varFiles, progressReporter(ctx, task, `${base}: plan`), {
        destroy: true,
      });
      await tf.apply(planFile, stages.varFiles, progressReporter(ctx, task, base));
    });
  } catch (error) {
    throw await explainFailure(run, entry.path, error);
  } finally {
    rmSync(planFile, { force: true });
  }
  const after = await countStateResources({
    backend: entry.backend,
    stageDir,
    stage: entry.path,
    env: ctx.env,
    s3,
  });
  if (after !== 0 && after !== undefined) {
    throw new ExternalError(
      `terraform destroy of ${entry.path} finished, but its state still records ${after} resource(s).`,
      {
        code: "stage-not-empty",
        hint: `Look at ${tf.logFile("apply")}, then resume with \`${run.resume}\`.`,
      },
    );
  }
  run.deleted(`Terraform stage ${entry.path} (${before ?? "its"} resource(s))`);
}

async function explainFailure(run: StepRun, stage: string, error: unknown): Promise<unknown> {
  if (!(isAiplatError(error) && error.code === "terraform-failed")) return error;
  if (!/DependencyViolation|has dependencies|dependent object/i.test(error.message)) {
    return new ExternalError(error.message, {
      code: error.code,
      details: error.details,
      cause: error,
      hint: `Full log: ${String(error.details?.log ?? "")}\nFix the cause, then resume with \`${run.resume}\`.`,
    });
  }
  const blockers = (await findBlockers(run).catch(() => [] as Leftover[])).map(describeLeftover);
  return new ExternalError(
    [
      `terraform destroy of ${stage} failed with DependencyViolation: AWS refuses to delete a VPC, subnet or security group while something still uses it.`,
      blockers.length > 0
        ? `Still in the VPC, not made by Terraform:\n${blockers.map((b) => `  - ${b}`).join("\n")}`
        : "Usually an ENI that outlived its load balancer or instance (they linger for minutes).",
    ].join("\n"),
    {
      code: "dependency-violation",
      details: { ...error.details, blockers },
      cause: error,
      hint: `Wait for the ENIs to go (or delete what is named), then resume with \`${run.resume}\`; \`${run.resume} --sweep\` deletes what is named through AWS and destroys the stage again.`,
    },
  );
}

/** What, in the VPC and not Terraform's, keeps a subnet, VPC or security group from going. */
async function findBlockers(run: StepRun): Promise<Leftover[]> {
  return (await run.cloud())
    .filter(
      (l) =>
        l.kind === "eni" ||
        l.kind === "security-group" ||
        l.kind === "load-balancer" ||
        l.kind === "instance",
    )
    .filter((l) => l.madeBy !== "terraform" && !(l.kind === "instance" && l.state === "terminated"));
}
