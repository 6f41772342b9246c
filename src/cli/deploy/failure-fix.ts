/**
 * The fix for a rollout failure whose cause is known (src/core/rollout/serve-failure.ts), as
 * commands the user can run — with their own --env/--kubeconfig/--context carried over.
 */

import type { FitPlan } from "../../core/fit/plan-fit.js";
import type { ServeFailureCause } from "../../core/rollout/index.js";
import { aiplatCommand } from "../carry-flags.js";
import type { GlobalOptions } from "../context.js";

export interface FailureFixContext {
  name: string;
  model: string;
  gpuCount: number;
  /** `deploy-model <name>` plus `--model <id>` when the name is not the catalog's. */
  deployCommand: string;
  /** The smallest GPUs per worker that hold the model on every family, when there is one. */
  fittingGpus: number | undefined;
}

/** The GPU count the fit estimate says every family's card holds (undefined: none, or unknown). */
export function fittingGpus(fit: FitPlan): number | undefined {
  const counts = fit.families.map((f) => f.minGpus);
  if (counts.length === 0 || counts.some((c) => c === null)) return undefined;
  return Math.max(...(counts as number[]));
}

export function failureFix(
  globals: Pick<GlobalOptions, "env" | "kubeconfig" | "context" | "root">,
  cause: ServeFailureCause,
  c: FailureFixContext,
): string {
  if (cause === "gated-model") {
    return (
      `${c.model} is gated on HuggingFace and the workers had no token it accepts. Accept its licence at https://huggingface.co/${c.model} with your account, ` +
      `store your token with \`${aiplatCommand(globals, "secret hf-token --stdin")}\` (it reads the token from stdin), ` +
      `then restart the workers, which read the token only when they start: \`${aiplatCommand(globals, `undeploy-model ${c.name} --wait`)}\` ` +
      `and \`${aiplatCommand(globals, `${c.deployCommand} --wait`)}\`.`
    );
  }
  if (c.fittingGpus !== undefined && c.fittingGpus > c.gpuCount) {
    return (
      `${c.model} does not fit ${c.gpuCount} GPU(s) per worker. Give each worker ${c.fittingGpus}: ` +
      `\`${aiplatCommand(globals, `${c.deployCommand} --gpus ${c.fittingGpus} --force --wait`)}\` ` +
      "(--force replaces the declaration in place)."
    );
  }
  return (
    `${c.model} does not fit the GPUs its worker got (${c.gpuCount} per worker): pick a smaller or quantized model, a shorter --max-model-len, ` +
    `or more GPUs with \`${aiplatCommand(globals, `${c.deployCommand} --gpus 8 --force --wait`)}\`.`
  );
}
