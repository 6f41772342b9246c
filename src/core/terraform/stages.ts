/**
 * The Terraform stages of the platform, as the original Makefile saw them: every folder under
 * terraform/ that holds a backend.tf is a stage; stages apply in sorted path order and destroy in
 * the reverse. Optional stages say in their backend.tf which tfvars switch turns them on:
 *
 *   # aiplat:enabled-when observability_configuration.aws_oss_tooling
 *
 * Pure: callers list the files and read backend.tf / the parsed tfvars themselves.
 */

export interface Stage {
  /** Path relative to terraform/, with forward slashes, e.g. `30.eks/30.cluster`. */
  path: string;
  /** Dotted tfvars path of the boolean that turns the stage on; undefined = always on. */
  gate: string[] | undefined;
}

const GATE_MARKER = /aiplat:enabled-when\s+([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/;

/** Stage folders among `relativePaths` (files under terraform/), in apply order. */
export function discoverStages(relativePaths: readonly string[]): string[] {
  const stages = new Set<string>();
  for (const raw of relativePaths) {
    const path = raw.replaceAll("\\", "/").replace(/^\.\//, "");
    const segments = path.split("/");
    if (segments.at(-1) !== "backend.tf" || segments.length < 2) continue;
    // Terraform's own working folders can hold copies of modules with their own backend.tf.
    if (segments.some((s) => s === ".terraform")) continue;
    stages.add(segments.slice(0, -1).join("/"));
  }
  return sortStages([...stages]);
}

/** Sorted segment by segment, so `30.eks/35.addons` comes before `30.eks-extra/...`. */
export function sortStages(stages: readonly string[]): string[] {
  return [...stages].sort(compareStagePaths);
}

function compareStagePaths(a: string, b: string): number {
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] ?? "";
    const y = bs[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

/** Destroy order: the reverse of the apply order. */
export function destroyOrder(stages: readonly string[]): string[] {
  return sortStages(stages).reverse();
}

/** The gate declared in a stage's backend.tf, or undefined when the stage always runs. */
export function parseStageGate(backendTf: string): string[] | undefined {
  for (const line of backendTf.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("#") && !trimmed.startsWith("//")) continue;
    const match = GATE_MARKER.exec(trimmed);
    if (match?.[1]) return match[1].split(".");
  }
  return undefined;
}

/**
 * Whether a stage runs for these tfvars (as parsed to JSON). A gated stage runs only when its
 * switch is literally `true`; a missing switch means off, like the variable's default.
 */
export function isStageEnabled(gate: readonly string[] | undefined, tfvars: unknown): boolean {
  if (gate === undefined) return true;
  let value: unknown = tfvars;
  for (const key of gate) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return value === true;
}

/** The S3 key of a stage's state (the workspace prefix env:/<env>/ is added by Terraform). */
export function stateKey(stage: string): string {
  return `${stage}/terraform.tfstate`;
}

/** Stages with their gates, in apply order; `readBackend` returns a stage's backend.tf text. */
export function planStages(
  relativePaths: readonly string[],
  readBackend: (stage: string) => string,
): Stage[] {
  return discoverStages(relativePaths).map((path) => ({ path, gate: parseStageGate(readBackend(path)) }));
}
