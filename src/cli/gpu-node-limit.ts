/**
 * cluster_config.gpu_node_limit of the environment: the most GPUs the gpu-inference NodePool may
 * run at once (terraform/00.global/variables.tf, default 16). An endpoint whose maximum needs more
 * could never reach it — Karpenter stops launching at the NodePool limit.
 */
import { readFile } from "node:fs/promises";
import { readTfvars, tfvarsPath } from "../adapters/tfvars.js";

/** terraform/00.global/variables.tf: cluster_config.gpu_node_limit defaults to 16. */
export const DEFAULT_GPU_NODE_LIMIT = 16;

export interface GpuNodeLimit {
  limit: number;
  /** Where it came from, for messages: the tfvars file, or the Terraform default. */
  source: string;
}

/**
 * Reads the limit without the ~150 ms HCL parser when it can: aiplat init writes
 * `gpu_node_limit = N` on one line; anything else (an expression, odd spacing) is parsed fully.
 */
export async function readGpuNodeLimit(root: string, env: string): Promise<GpuNodeLimit> {
  const path = tfvarsPath(root, env);
  const fallback = { limit: DEFAULT_GPU_NODE_LIMIT, source: "the default cluster_config.gpu_node_limit" };
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined || !text.includes("gpu_node_limit")) return fallback;
  const source = `cluster_config.gpu_node_limit in terraform/00.global/vars/${env}.tfvars`;
  const literal = /^\s*gpu_node_limit\s*=\s*(\d+)\s*(?:#.*)?$/m.exec(text)?.[1];
  if (literal !== undefined) return { limit: Number(literal), source };
  const vars = await readTfvars(path).catch(() => undefined);
  const value = (vars?.cluster_config as Record<string, unknown> | undefined)?.gpu_node_limit;
  return typeof value === "number" ? { limit: value, source } : fallback;
}
