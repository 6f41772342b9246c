/**
 * The model catalog (templates/models.yaml): short names for popular open models with what
 * deploy-model needs to size an endpoint. Parsing validates every entry and reports all problems
 * at once, naming the entry, because a broken catalog is a repository problem (ConfigError).
 */
import { parse } from "yaml";
import { ConfigError } from "../errors.js";

export type GpuFamily = "g5" | "g6" | "g6e";
export const GPU_FAMILIES: readonly GpuFamily[] = ["g5", "g6", "g6e"];

export interface CatalogModel {
  name: string;
  /** HuggingFace model id. */
  model: string;
  description: string;
  /** Parameters in billions. */
  parametersB: number;
  defaultMaxModelLen: number;
  /** The model's own maximum context (config.json max_position_embeddings). */
  contextLimit: number;
  gated: boolean;
  /** Suggested GPUs per worker for each family, or null when even 8 do not hold the model. */
  gpus: Record<GpuFamily, number | null>;
  layers: number;
  kvHeads: number;
  headDim: number;
}

/** Endpoint names become Service names (<name>-serve-svc): RFC 1035 labels, kept short. */
export const CATALOG_NAME_PATTERN = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const HF_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
const GPU_COUNTS = new Set([1, 2, 4, 8]);

function isPositiveInt(v: unknown): v is number {
  // Number.isInteger is false for anything but a number.
  return Number.isInteger(v) && (v as number) > 0;
}

function checkEntry(raw: unknown, where: string, problems: string[]): CatalogModel | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push(`${where}: must be a mapping`);
    return undefined;
  }
  const e = raw as Record<string, unknown>;
  const before = problems.length;
  const label = typeof e.name === "string" ? `${where} (${e.name})` : where;
  if (typeof e.name !== "string" || !CATALOG_NAME_PATTERN.test(e.name) || e.name.length > 40) {
    problems.push(
      `${label}: name must be lowercase letters, digits and "-" (at most 40), got ${JSON.stringify(e.name)}`,
    );
  }
  if (typeof e.model !== "string" || !HF_ID_PATTERN.test(e.model)) {
    problems.push(`${label}: model must be a HuggingFace id like org/name, got ${JSON.stringify(e.model)}`);
  }
  if (typeof e.description !== "string" || e.description === "")
    problems.push(`${label}: description is required`);
  if (typeof e.parametersB !== "number" || !(e.parametersB > 0))
    problems.push(`${label}: parametersB must be a positive number`);
  for (const key of ["defaultMaxModelLen", "contextLimit", "layers", "kvHeads", "headDim"] as const) {
    if (!isPositiveInt(e[key]))
      problems.push(`${label}: ${key} must be a positive integer, got ${JSON.stringify(e[key])}`);
  }
  if (
    isPositiveInt(e.defaultMaxModelLen) &&
    isPositiveInt(e.contextLimit) &&
    e.defaultMaxModelLen > e.contextLimit
  ) {
    problems.push(
      `${label}: defaultMaxModelLen ${e.defaultMaxModelLen} exceeds contextLimit ${e.contextLimit}`,
    );
  }
  if (typeof e.gated !== "boolean") problems.push(`${label}: gated must be true or false`);
  const gpus = e.gpus as Record<string, unknown> | undefined;
  if (gpus === null || typeof gpus !== "object") {
    problems.push(`${label}: gpus must map g5, g6 and g6e to 1, 2, 4, 8 or null`);
  } else {
    for (const family of GPU_FAMILIES) {
      const n = gpus[family];
      // The set holds numbers only, so "2" or true is not in it.
      if (n !== null && !GPU_COUNTS.has(n as number)) {
        problems.push(`${label}: gpus.${family} must be 1, 2, 4, 8 or null, got ${JSON.stringify(n)}`);
      }
    }
  }
  if (problems.length > before) return undefined;
  const g = gpus as Record<GpuFamily, number | null>;
  return {
    name: e.name as string,
    model: e.model as string,
    description: e.description as string,
    parametersB: e.parametersB as number,
    defaultMaxModelLen: e.defaultMaxModelLen as number,
    contextLimit: e.contextLimit as number,
    gated: e.gated as boolean,
    gpus: { g5: g.g5, g6: g.g6, g6e: g.g6e },
    layers: e.layers as number,
    kvHeads: e.kvHeads as number,
    headDim: e.headDim as number,
  };
}

/** Parses templates/models.yaml; throws one ConfigError listing every invalid entry. */
export function parseCatalog(yamlText: string): CatalogModel[] {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (error) {
    throw new ConfigError(`The model catalog is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const list = (doc as { models?: unknown } | null)?.models;
  if (!Array.isArray(list)) throw new ConfigError("The model catalog must have a top-level `models:` list");
  const problems: string[] = [];
  const models: CatalogModel[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const model = checkEntry(raw, `models[${i}]`, problems);
    if (!model) return;
    if (seen.has(model.name)) problems.push(`models[${i}]: duplicate name "${model.name}"`);
    seen.add(model.name);
    models.push(model);
  });
  if (problems.length > 0) {
    throw new ConfigError(
      `The model catalog has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`,
      {
        hint: "Fix templates/models.yaml",
      },
    );
  }
  return models;
}

/** Finds a model by short name (case-insensitive) or by its exact HuggingFace id. */
export function findCatalogModel(catalog: readonly CatalogModel[], name: string): CatalogModel | undefined {
  const wanted = name.trim().toLowerCase();
  return catalog.find((m) => m.name === wanted) ?? catalog.find((m) => m.model.toLowerCase() === wanted);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Close matches for a name that is not in the catalog ("did you mean …"), best first, at most 5. */
export function suggestCatalogNames(catalog: readonly CatalogModel[], name: string): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return [];
  const compact = (s: string) => s.replace(/[^a-z0-9]/g, "");
  const scored = catalog.map((m) => {
    let score = editDistance(wanted, m.name);
    if (compact(m.name) === compact(wanted)) score = 0;
    else if (m.name.includes(wanted) || m.model.toLowerCase().includes(wanted)) score = Math.min(score, 1);
    return { name: m.name, score };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((s) => s.name);
}
