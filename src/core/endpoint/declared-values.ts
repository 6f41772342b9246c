/**
 * An endpoint that is already declared (platform/workloads/<name>.yaml) is changed, never
 * re-created: every value the command line does not give is the declared one, so `deploy-model
 * <name> --wait` follows a custom model by name alone and `--force --max-replicas 3` cannot reset
 * maxModelLen to the catalog's default. The changes that remain are shown before anything is
 * committed.
 */
import { isDeepStrictEqual } from "node:util";
import { workerDefaults } from "./endpoint-spec.js";
import type { RawDeployInputs } from "./validate-inputs.js";

/** Declared spec field → the deploy-model input it fills. */
const INPUT_OF = {
  model: "model",
  gpuCount: "gpus",
  minReplicas: "minReplicas",
  maxReplicas: "maxReplicas",
  maxModelLen: "maxModelLen",
  workerMemory: "workerMemory",
  workerCpu: "workerCpu",
  rayImage: "image",
  instanceFamilies: "instanceFamily",
} as const satisfies Record<string, keyof RawDeployInputs>;

type DeclaredField = keyof typeof INPUT_OF;

function asInput(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  // Number.isFinite is true for finite numbers only (it does not convert a string or boolean).
  if (Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  return undefined;
}

/**
 * The inputs with every value not given taken from the declaration. One exception: worker CPU and
 * memory that are the defaults for the declared GPU count follow a new --gpus (a 4-GPU worker
 * with a 1-GPU worker's 12Gi could not load its shards); values the user chose are kept.
 */
export function inheritDeclared(
  raw: RawDeployInputs,
  declared: Record<string, unknown> | undefined,
): { raw: RawDeployInputs; inherited: string[] } {
  if (!declared) return { raw, inherited: [] };
  const out: RawDeployInputs = { ...raw };
  const inherited: string[] = [];
  const declaredGpus = typeof declared.gpuCount === "number" ? declared.gpuCount : 1;
  const gpusChange = raw.gpus !== undefined && raw.gpus !== String(declaredGpus);
  // Only workerCpu and workerMemory have a sized default; any other field finds undefined here.
  const sized: Partial<Record<DeclaredField, string>> = workerDefaults(declaredGpus);
  for (const field of Object.keys(INPUT_OF) as DeclaredField[]) {
    const key = INPUT_OF[field];
    if (out[key] !== undefined) continue;
    const value = asInput(declared[field]);
    if (value === undefined) continue;
    if (gpusChange && value === sized[field]) continue;
    out[key] = value;
    inherited.push(field);
  }
  return { raw: out, inherited };
}

export interface SpecChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * The spec fields whose value differs, in the order the new spec lists them. Only the fields the
 * new spec sets: one deploy-model does not write (a hand-set modelSource) stays in the file as is.
 */
export function specChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): SpecChange[] {
  const old = before ?? {};
  return Object.keys(after)
    .filter((field) => !isDeepStrictEqual(old[field], after[field]))
    .map((field) => ({ field, from: old[field], to: after[field] }));
}

function shown(value: unknown): string {
  return value === undefined ? "(default)" : JSON.stringify(value);
}

/** "  maxReplicas: 4 → 3" per change. */
export function formatChanges(changes: readonly SpecChange[]): string[] {
  return changes.map((c) => `  ${c.field}: ${shown(c.from)} → ${shown(c.to)}`);
}
