/**
 * Strict validation of custom resources against their CRD schemas (see crd-schema.ts). Returns
 * every problem with its full path (`spec.rayClusterConfig.workerGroupSpecs[0].groupName`), so a
 * user or a test sees exactly which field the API server would have pruned or refused.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { crdVersionSchema, type JsonSchema, translateSchema } from "./crd-schema.js";

export interface SchemaProblem {
  /** Dotted path with [i] for list items; "" for the object itself. */
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, Map<string, ValidateFunction>>();

/** "/spec/items/0/name" → "spec.items[0].name"; the empty part before the leading "/" adds nothing. */
function formatPath(instancePath: string): string {
  return instancePath
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === "" ? part : `${acc}.${part}`),
      "",
    );
}

function join(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

function describe(error: ErrorObject): SchemaProblem {
  const path = formatPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return {
        path: join(path, String(params.additionalProperty)),
        message: "unknown field (not in the schema)",
      };
    case "required":
      return { path: join(path, String(params.missingProperty)), message: "required field is missing" };
    case "anyOf":
      return { path, message: "must be an integer or a string" };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

/** Drops the per-branch noise of a failed anyOf (the anyOf error itself says it). */
function condense(errors: ErrorObject[]): ErrorObject[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.schemaPath));
  return errors.filter((e) => {
    if (e.keyword === "anyOf") return true;
    for (const p of anyOfAt) if (e.schemaPath.startsWith(`${p}/`)) return false;
    return true;
  });
}

/** Validates any object against an already translated JSON Schema. */
export function validateWithSchema(schema: JsonSchema, object: unknown): SchemaProblem[] {
  const validate = ajv.compile(schema);
  // ajv sets errors whenever validation fails.
  if (validate(object)) return [];
  return condense(validate.errors!).map(describe);
}

/** Validates an object against one version of a CRD, strictly (unknown fields are errors). */
export function validateAgainstCrd(crd: object, version: string, object: unknown): SchemaProblem[] {
  let byVersion = compiled.get(crd);
  // Stryker disable next-line ConditionalExpression: a cache; a new map each time gives the same result
  if (!byVersion) {
    byVersion = new Map();
    compiled.set(crd, byVersion);
  }
  let validate = byVersion.get(version);
  // Stryker disable next-line ConditionalExpression: a cache; compiling again each time gives the same result
  if (!validate) {
    validate = ajv.compile(translateSchema(crdVersionSchema(crd, version)));
    byVersion.set(version, validate);
  }
  if (validate(object)) return [];
  return condense(validate.errors!).map(describe);
}

/** The version part of an object's apiVersion ("ray.io/v1" → "v1"). */
export function versionOf(apiVersion: unknown): string {
  const s = String(apiVersion ?? "");
  return s.slice(s.lastIndexOf("/") + 1);
}
