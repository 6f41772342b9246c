import { asArray, asRecord, expressionsIn, type StageConfig } from "./terraform-load.js";

/**
 * What `terraform validate` would catch without providers: names declared twice in a stage, and
 * references to locals, resources, data sources, ephemeral resources or modules the stage does
 * not declare. (Validation itself needs the providers, which cannot be downloaded here.)
 */

export interface Problem {
  file: string;
  name: string;
  message: string;
}

interface Declared {
  locals: Map<string, string>;
  resources: Map<string, string>;
  data: Map<string, string>;
  ephemeral: Map<string, string>;
  modules: Map<string, string>;
  variables: Map<string, string>;
  outputs: Map<string, string>;
}

function collectDeclarations(stage: StageConfig): { declared: Declared; duplicates: Problem[] } {
  const declared: Declared = {
    locals: new Map(),
    resources: new Map(),
    data: new Map(),
    ephemeral: new Map(),
    modules: new Map(),
    variables: new Map(),
    outputs: new Map(),
  };
  const duplicates: Problem[] = [];
  const declare = (kind: keyof Declared, name: string, file: string): void => {
    const previous = declared[kind].get(name);
    if (previous !== undefined) {
      duplicates.push({
        file,
        name,
        message: `${kind} "${name}" is declared in ${previous} and again in ${file}`,
      });
    }
    declared[kind].set(name, file);
  };
  for (const { name: file, json } of stage.files) {
    for (const block of asArray(json.locals))
      for (const key of Object.keys(asRecord(block))) declare("locals", key, file);
    for (const kind of ["resource", "data", "ephemeral"] as const) {
      const target = kind === "resource" ? "resources" : kind;
      for (const [type, byName] of Object.entries(asRecord(json[kind]))) {
        for (const name of Object.keys(asRecord(byName))) declare(target, `${type}.${name}`, file);
      }
    }
    for (const name of Object.keys(asRecord(json.module))) declare("modules", name, file);
    for (const name of Object.keys(asRecord(json.variable))) declare("variables", name, file);
    for (const name of Object.keys(asRecord(json.output))) declare("outputs", name, file);
  }
  return { declared, duplicates };
}

export function findDuplicateDeclarations(stage: StageConfig): Problem[] {
  return collectDeclarations(stage).duplicates;
}

const NAME = "[A-Za-z_][\\w-]*";

export function findUndeclaredReferences(stage: StageConfig): Problem[] {
  const { declared } = collectDeclarations(stage);
  const providers = [...stage.requiredProviders.keys()];
  const resourceRef = new RegExp(
    `(?<![\\w.])((?:${providers.join("|") || "aws"})_[a-z0-9_]+)\\.(${NAME})`,
    "g",
  );
  const checks: Array<{ pattern: RegExp; kind: keyof Declared; key: (m: RegExpMatchArray) => string }> = [
    { pattern: new RegExp(`(?<![\\w.])local\\.(${NAME})`, "g"), kind: "locals", key: (m) => m[1] ?? "" },
    {
      pattern: new RegExp(`(?<![\\w.])data\\.(${NAME})\\.(${NAME})`, "g"),
      kind: "data",
      key: (m) => `${m[1]}.${m[2]}`,
    },
    {
      pattern: new RegExp(`(?<![\\w.])ephemeral\\.(${NAME})\\.(${NAME})`, "g"),
      kind: "ephemeral",
      key: (m) => `${m[1]}.${m[2]}`,
    },
    { pattern: new RegExp(`(?<![\\w.])module\\.(${NAME})`, "g"), kind: "modules", key: (m) => m[1] ?? "" },
    { pattern: resourceRef, kind: "resources", key: (m) => `${m[1]}.${m[2]}` },
  ];
  const problems: Problem[] = [];
  for (const { name: file, json } of stage.files) {
    for (const expr of expressionsIn(json)) {
      const code = stripStringLiterals(expr);
      for (const { pattern, kind, key } of checks) {
        for (const m of code.matchAll(pattern)) {
          const name = key(m);
          if (!declared[kind].has(name))
            problems.push({
              file,
              name,
              message: `${file} refers to ${kind} "${name}", which the stage does not declare`,
            });
        }
      }
    }
  }
  return problems;
}

/** Removes the literal text of quoted strings (keeping their ${...} parts), e.g. "kubernetes.io/x". */
function stripStringLiterals(expr: string): string {
  let out = "";
  let inString = false;
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (inString && depth === 0) {
      if (c === "\\") {
        i++;
        continue;
      }
      if (c === '"') {
        inString = false;
        out += c;
        continue;
      }
      if (c === "$" && expr[i + 1] === "{") {
        depth = 1;
        out += "${";
        i++;
        continue;
      }
      continue;
    }
    if (inString && depth > 0) {
      if (c === "{") depth++;
      if (c === "}") depth--;
      out += c;
      continue;
    }
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}
