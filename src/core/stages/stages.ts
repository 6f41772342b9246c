/**
 * The Terraform stages of an environment (PLATFORM.md): every folder under terraform/ holding a
 * backend.tf, applied in sorted path order. Optional stages declare in their backend.tf which
 * tfvars boolean turns them on (`# aiplat:enabled-when observability_configuration.aws_oss_tooling`).
 * Pure: callers list the files and read backend.tf and the tfvars.
 */
import { UsageError } from "../errors.js";

export interface StageInfo {
  /** Path relative to terraform/, forward slashes: `30.eks/30.cluster`. */
  path: string;
  /** Dotted tfvars path of the boolean that turns the stage on; undefined = always on. */
  gate: string[] | undefined;
  /** `local` stages (test fixtures) need no AWS at all: no STS, no S3, no credential guard. */
  backend: "s3" | "local" | "other";
}

export interface StagePlanEntry extends StageInfo {
  enabled: boolean;
  /** Why the stage is skipped (gate off), for the progress line. */
  skipReason?: string | undefined;
}

const GATE_MARKER = /aiplat:enabled-when\s+([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/;
/** Stage folders among `relativePaths` (files under terraform/), in apply order. */
export function discoverStagePaths(relativePaths: readonly string[]): string[] {
  const stages = new Set<string>();
  for (const raw of relativePaths) {
    const segments = raw.replaceAll("\\", "/").replace(/^\.\//, "").split("/");
    if (segments.length < 2 || segments.at(-1) !== "backend.tf") continue;
    // Terraform's working folders can hold module copies with their own backend.tf.
    if (segments.includes(".terraform")) continue;
    stages.add(segments.slice(0, -1).join("/"));
  }
  return [...stages].sort(compareStagePaths);
}

/** Segment by segment, a parent before its children: a string comparison with "/" as the lowest character. */
function compareStagePaths(a: string, b: string): number {
  const x = a.replaceAll("/", "\u0000");
  const y = b.replaceAll("/", "\u0000");
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Destroy order: the reverse of the apply order. */
export function destroyOrder(stages: readonly string[]): string[] {
  return [...stages].sort(compareStagePaths).reverse();
}

/** The gate a stage's backend.tf declares in a comment, or undefined when the stage always runs. */
export function parseStageGate(backendTf: string): string[] | undefined {
  for (const line of backendTf.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("#") && !trimmed.startsWith("//")) continue;
    const match = GATE_MARKER.exec(trimmed);
    if (match?.[1]) return match[1].split(".");
  }
  return undefined;
}

export function describeStage(path: string, backendTf: string): StageInfo {
  const kind = /backend\s+"([^"]+)"/.exec(stripComments(backendTf))?.[1];
  const backend = kind === "s3" ? "s3" : kind === "local" ? "local" : kind === undefined ? "local" : "other";
  return { path, gate: parseStageGate(backendTf), backend };
}

function stripComments(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^\s*(#|\/\/)/.test(l))
    .join("\n");
}

/** A gated stage runs only when its switch is literally true; a missing switch means off. */
export function isStageEnabled(gate: readonly string[] | undefined, tfvars: unknown): boolean {
  if (gate === undefined) return true;
  let value: unknown = tfvars;
  for (const key of gate) {
    // hcl2json may wrap an object value in a one-element array.
    if (Array.isArray(value) && value.length === 1) value = value[0];
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return value === true;
}

export function planStageEntries(stages: readonly StageInfo[], tfvars: unknown): StagePlanEntry[] {
  return stages.map((s) => {
    const enabled = isStageEnabled(s.gate, tfvars);
    return {
      ...s,
      enabled,
      // Only a gated stage can be off.
      skipReason: enabled ? undefined : `${s.gate!.join(".")} is not true in the tfvars`,
    };
  });
}

/** The S3 key of a stage's state (Terraform adds the workspace prefix env:/<env>/). */
export function stateKey(stage: string): string {
  return `${stage}/terraform.tfstate`;
}

/**
 * Resolves what the user typed for --from/--only: the full path (`30.eks/30.cluster`), the leaf
 * (`30.cluster`) or the leaf's name without its number (`cluster`).
 */
export function resolveStageName(input: string, stages: readonly string[], flag: string): string {
  const wanted = input.replace(/\/+$/, "");
  const matches = (f: (s: string) => boolean) => stages.filter(f);
  const leaf = (s: string) => s.split("/").at(-1) ?? s;
  for (const candidates of [
    matches((s) => s === wanted),
    matches((s) => leaf(s) === wanted),
    matches((s) => leaf(s).replace(/^\d+\./, "") === wanted),
  ]) {
    if (candidates.length > 1) {
      throw new UsageError(`${flag} ${input} matches several stages: ${candidates.join(", ")}.`, {
        code: "ambiguous-stage",
        hint: `Pass the full stage path, e.g. ${flag} ${candidates[0]}.`,
      });
    }
    if (candidates.length === 1) return candidates[0]!;
  }
  throw new UsageError(`${flag} ${input} is not a stage.`, {
    code: "unknown-stage",
    hint: `Stages: ${stages.join(", ")}.`,
  });
}

/** Minutes a stage may take to apply, for the credential guard (EKS control planes are slow). */
export function estimateStageMinutes(stage: string): number {
  const leaf = stage.split("/").at(-1) ?? stage;
  if (/cluster/.test(leaf)) return 25;
  if (/addons/.test(leaf)) return 15;
  if (/networking/.test(leaf)) return 10;
  if (/iam/.test(leaf)) return 5;
  if (/observability/.test(leaf)) return 15;
  return 10;
}
