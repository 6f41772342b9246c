import { fileURLToPath } from "node:url";

/** The aiplat entry point that Terraform's providers run for cluster tokens. */
export const AIPLAT_BIN = fileURLToPath(new URL("../../../bin/aiplat.js", import.meta.url));

/**
 * The environment aiplat runs Terraform with. The kubernetes/helm/kubectl providers of the cluster
 * stages get their EKS token from `aiplat kubeconfig --exec-credential` (a fresh one per call, so
 * no apply outlives its token); TF_VAR_aiplat_cli tells them how to start this very aiplat — this
 * node and this bin/aiplat.js — so it need not be on PATH. A value the user set wins.
 */
export function terraformEnv(
  processEnv: Record<string, string | undefined>,
  command: readonly string[] = [process.execPath, AIPLAT_BIN],
): Record<string, string | undefined> {
  if (processEnv.TF_VAR_aiplat_cli) return { ...processEnv };
  // A JSON list of strings is valid HCL for a list(string) variable.
  return { ...processEnv, TF_VAR_aiplat_cli: JSON.stringify(command) };
}
