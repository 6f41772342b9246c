import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { discoverStagePaths } from "../../../src/core/stages/stages.js";

/** hcl2json output: blocks are arrays of bodies, attributes plain values, expressions "${...}". */
export type HclJson = Record<string, unknown>;

type ParseFn = (fileName: string, text: string) => Promise<HclJson>;
let parser: Promise<ParseFn> | undefined;
const memo = new Map<string, Promise<HclJson>>();
// Keyed by the parser's version too: another hcl2json may render the same file differently.
const parserVersion = (createRequire(import.meta.url)("@cdktf/hcl2json/package.json") as { version: string })
  .version;
const diskCache = join(tmpdir(), `aiplat-hcl2json-cache-${parserVersion}`);

/**
 * Parses HCL (.tf or .tfvars) to JSON. @cdktf/hcl2json loads lazily (~150 ms) and then takes
 * 40-600 ms per file, so results are cached by content: in memory (the shared variables file is
 * in every stage) and on disk across test workers. The cache key is the text's hash, so an edited
 * file is always parsed again; parse errors are never cached.
 */
export async function parseHcl(fileName: string, text: string): Promise<HclJson> {
  const key = createHash("sha256")
    .update(fileName.endsWith(".tfvars") ? "tfvars\0" : "tf\0")
    .update(text)
    .digest("hex");
  let result = memo.get(key);
  if (!result) {
    result = parseUncached(fileName, text, key);
    memo.set(key, result);
    result.catch(() => memo.delete(key));
  }
  return structuredClone(await result);
}

async function parseUncached(fileName: string, text: string, key: string): Promise<HclJson> {
  const cached = join(diskCache, `${key}.json`);
  try {
    return JSON.parse(readFileSync(cached, "utf8")) as HclJson;
  } catch {
    // not cached yet
  }
  parser ??= import("@cdktf/hcl2json").then((m) => m.parse as ParseFn);
  const json = await (await parser)(fileName, text);
  try {
    mkdirSync(diskCache, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(json));
    renameSync(partial, cached); // atomic: a concurrent reader never sees half a file
  } catch {
    // caching is an optimisation only
  }
  return json;
}

/** Every file under `dir` (relative paths, forward slashes), skipping .terraform and .git. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === ".terraform" || entry.name === ".git") continue;
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

export interface TfFile {
  /** File name inside the stage folder, e.g. `eks.tf`. */
  name: string;
  json: HclJson;
}

export interface ModuleCall {
  name: string;
  file: string;
  body: Record<string, unknown>;
}

export interface Reference {
  file: string;
  /** The referenced name(s): [variable], [module, output], [remote state, output]. */
  parts: string[];
}

export interface StageConfig {
  stage: string;
  dir: string;
  files: TfFile[];
  variables: Set<string>;
  outputs: Set<string>;
  modules: ModuleCall[];
  /** terraform_remote_state data source name → the `key` of its config (a literal string). */
  remoteStates: Map<string, string | undefined>;
  requiredProviders: Map<string, { source?: string; version?: string }>;
  requiredVersion: string | undefined;
  backends: Array<{ type: string; body: Record<string, unknown> }>;
}

/** The stages of a terraform/ tree in apply order (folders holding backend.tf). */
export function findStages(terraformRoot: string): string[] {
  return discoverStagePaths(listFiles(terraformRoot));
}

export async function loadStage(terraformRoot: string, stage: string): Promise<StageConfig> {
  const dir = join(terraformRoot, stage);
  const names = readdirSync(dir).filter((n) => n.endsWith(".tf") && existsSync(join(dir, n)));
  const files = await Promise.all(
    names
      .sort()
      .map(async (name) => ({ name, json: await parseHcl(name, readFileSync(join(dir, name), "utf8")) })),
  );
  const config: StageConfig = {
    stage,
    dir,
    files,
    variables: new Set(),
    outputs: new Set(),
    modules: [],
    remoteStates: new Map(),
    requiredProviders: new Map(),
    requiredVersion: undefined,
    backends: [],
  };
  for (const { name, json } of files) {
    for (const v of Object.keys(asRecord(json.variable))) config.variables.add(v);
    for (const o of Object.keys(asRecord(json.output))) config.outputs.add(o);
    for (const [mod, bodies] of Object.entries(asRecord(json.module))) {
      for (const body of asArray(bodies))
        config.modules.push({ name: mod, file: name, body: asRecord(body) });
    }
    const remote = asRecord(asRecord(json.data).terraform_remote_state);
    for (const [rs, bodies] of Object.entries(remote)) {
      const key = asRecord(asRecord(asArray(bodies)[0]).config).key;
      config.remoteStates.set(rs, typeof key === "string" ? key : undefined);
    }
    for (const tf of asArray(json.terraform)) {
      const body = asRecord(tf);
      if (typeof body.required_version === "string") config.requiredVersion = body.required_version;
      for (const rp of asArray(body.required_providers)) {
        for (const [p, spec] of Object.entries(asRecord(rp))) config.requiredProviders.set(p, asRecord(spec));
      }
      for (const [type, bodies] of Object.entries(asRecord(body.backend))) {
        config.backends.push({ type, body: asRecord(asArray(bodies)[0]) });
      }
    }
  }
  return config;
}

export async function loadStages(terraformRoot: string): Promise<StageConfig[]> {
  return Promise.all(findStages(terraformRoot).map((s) => loadStage(terraformRoot, s)));
}

/** The text of every `${...}` expression in a parsed file (keys included), comments excluded. */
export function expressionsIn(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.push(...interpolations(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        out.push(...interpolations(k));
        visit(child);
      }
    }
  };
  visit(value);
  return out;
}

function interpolations(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("${");
  while (i !== -1) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = text.indexOf("${", j);
  }
  return out;
}

const VAR_REF = /(?<![\w.])var\.([A-Za-z_][\w-]*)/g;
const MODULE_REF = /(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)/g;
const REMOTE_REF =
  /(?<![\w.])data\.terraform_remote_state\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.outputs\.([A-Za-z_][\w-]*)/g;
const REMOTE_ALIAS = /^data\.terraform_remote_state\.([A-Za-z_][\w-]*)\.outputs$/;

/** `var.<name>` references of a stage. */
export function variableReferences(stage: StageConfig): Reference[] {
  return matchAll(stage, VAR_REF).map(({ file, groups }) => ({ file, parts: [groups[0] ?? ""] }));
}

/** `module.<name>.<output>` references of a stage. */
export function moduleOutputReferences(stage: StageConfig): Reference[] {
  return matchAll(stage, MODULE_REF).map(({ file, groups }) => ({ file, parts: groups.slice(0, 2) }));
}

/**
 * `data.terraform_remote_state.<s>.outputs.<o>` references, including those made through a local
 * that holds a whole `outputs` object (`local.cluster = data.terraform_remote_state.cluster.outputs`
 * then `local.cluster.cluster_name`).
 */
export function remoteStateReferences(stage: StageConfig): Reference[] {
  const refs = matchAll(stage, REMOTE_REF).map(({ file, groups }) => ({ file, parts: groups.slice(0, 2) }));
  for (const { json } of stage.files) {
    for (const locals of asArray(json.locals)) {
      for (const [alias, value] of Object.entries(asRecord(locals))) {
        const expr = typeof value === "string" ? /^\$\{(.*)\}$/s.exec(value)?.[1] : undefined;
        const source = expr === undefined ? undefined : REMOTE_ALIAS.exec(expr.trim())?.[1];
        if (!source) continue;
        const aliasRef = new RegExp(`(?<![\\w.])local\\.${alias}\\.([A-Za-z_][\\w-]*)`, "g");
        for (const { file, groups } of matchAll(stage, aliasRef)) {
          refs.push({ file, parts: [source, groups[0] ?? ""] });
        }
      }
    }
  }
  return refs;
}

function matchAll(stage: StageConfig, pattern: RegExp): Array<{ file: string; groups: string[] }> {
  const out: Array<{ file: string; groups: string[] }> = [];
  for (const { name, json } of stage.files) {
    for (const expr of expressionsIn(json)) {
      for (const m of expr.matchAll(pattern))
        out.push({ file: name, groups: m.slice(1).map((g) => g ?? "") });
    }
  }
  return out;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** All blocks `<kind> "<type>" "<name>"` (resource, data, ephemeral) across a stage's files. */
export function blocksOf(
  stage: StageConfig,
  kind: "resource" | "data" | "ephemeral",
  type: string,
): Array<{ name: string; file: string; body: Record<string, unknown> }> {
  const out: Array<{ name: string; file: string; body: Record<string, unknown> }> = [];
  for (const { name: file, json } of stage.files) {
    for (const [name, bodies] of Object.entries(asRecord(asRecord(json[kind])[type]))) {
      for (const body of asArray(bodies)) out.push({ name, file, body: asRecord(body) });
    }
  }
  return out;
}
