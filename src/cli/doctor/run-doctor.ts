import type { CheckResult } from "../../core/doctor/checks.js";
import { checkNode, skip } from "../../core/doctor/checks.js";
import { PrerequisiteError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import { checkSecretsIgnored } from "../secrets/ignore-check.js";
import { checkConfiguration, checkGit, checkRepository, checkTerraformBinary } from "./local-checks.js";
import { checkGpuQuotaFor } from "./quota-check.js";
import { checkAwsCredentials, checkCluster } from "./remote-checks.js";

export async function runDoctor(ctx: CommandContext): Promise<void> {
  const results: CheckResult[] = [checkNode(ctx.nodeVersion), await checkTerraformBinary(ctx)];
  const repository = await checkRepository(ctx);
  results.push(repository.result, await checkGit(ctx, repository.root));
  results.push(await checkSecretsIgnored(ctx, repository.root));
  const configuration = await checkConfiguration(ctx, repository.root);
  results.push(...configuration.results);
  const credentials = await checkAwsCredentials(ctx, configuration.region);
  results.push(credentials);
  results.push(
    credentials.status === "ok" || credentials.status === "warn"
      ? await checkGpuQuotaFor(ctx, repository.root, configuration.region)
      : skip("gpu-quota", "GPU quota", "needs working AWS credentials"),
  );
  results.push(...(await checkCluster(ctx)));

  const failed = results.filter((r) => r.status === "fail");
  ctx.io.result({ environment: ctx.env, checks: results }, renderChecks(ctx, results));
  if (failed.length > 0) {
    throw new PrerequisiteError(
      `${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.id).join(", ")}.`,
      {
        code: "doctor-failed",
        hint: "Apply the fix shown under each failed check, then run `aiplat doctor` again.",
      },
    );
  }
}

function renderChecks(ctx: CommandContext, results: readonly CheckResult[]): string {
  const { style } = ctx.io;
  const mark = {
    ok: style.ok("ok  "),
    warn: style.warn("warn"),
    fail: style.fail("fail"),
    skip: style.dim("skip"),
  };
  const width = Math.max(...results.map((r) => r.title.length));
  const lines = results.map((r) => {
    const line = `${mark[r.status]}  ${r.title.padEnd(width)}  ${r.detail}`;
    return r.fix ? `${line}\n      ${" ".repeat(width)}  ${style.dim("fix:")} ${r.fix}` : line;
  });
  return [`aiplat doctor — environment ${ctx.env} (${ctx.envSource})`, ...lines].join("\n");
}
