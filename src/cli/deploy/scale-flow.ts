/**
 * `aiplat scale <name>`: deploy-model on a declared endpoint with only the replica range given.
 * Every other value is the declared one (deploy-model keeps what is not given), so the commit
 * changes minReplicas/maxReplicas alone, with the same git guarantees and the same --wait.
 */
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import { aiplatCommand } from "../carry-flags.js";
import type { CommandContext } from "../context.js";
import { readExistingWorkload } from "./declare-workload.js";
import { type DeployOutcome, runDeploy } from "./deploy-flow.js";

export interface ScaleOptions {
  minReplicas?: string | undefined;
  maxReplicas?: string | undefined;
  push?: boolean;
  verify?: boolean;
  wait?: boolean;
  timeout?: string | undefined;
  force?: boolean;
}

export async function runScale(
  ctx: CommandContext,
  name: string,
  options: ScaleOptions,
): Promise<DeployOutcome> {
  const invalid = endpointOperandError(name);
  if (invalid) throw invalid;
  if (options.minReplicas === undefined && options.maxReplicas === undefined) {
    throw new UsageError("aiplat scale needs --min-replicas, --max-replicas or both.", {
      code: "invalid-input",
      hint: `For example: \`${aiplatCommand(ctx.globals, `scale ${name} --min-replicas 1 --max-replicas 2`)}\`.`,
    });
  }
  const existing = readExistingWorkload(ctx.root(), name);
  if (!existing?.spec) {
    throw new UsageError(`No endpoint named ${name} is declared (platform/workloads/${name}.yaml).`, {
      code: "unknown-endpoint",
      hint: `List the endpoints with \`${aiplatCommand(ctx.globals, "models")}\`; deploy a new one with \`aiplat deploy-model\`.`,
    });
  }
  const range = `${options.minReplicas ?? existing.spec.minReplicas ?? 1}-${options.maxReplicas ?? existing.spec.maxReplicas ?? 4}`;
  return runDeploy(ctx, name, {
    minReplicas: options.minReplicas,
    maxReplicas: options.maxReplicas,
    push: options.push,
    verify: options.verify,
    wait: options.wait,
    timeout: options.timeout,
    // A scale is a change by definition: no --force needed for that; --force lifts the GPU limit.
    change: true,
    force: Boolean(options.force),
    commitMessage: `scale ${name} to ${range} replicas`,
  });
}
