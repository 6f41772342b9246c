import { invalid } from "./errors.js";
import { clone } from "./json.js";
import { isObject, type KubeObject, type ResourceType } from "./types.js";

/**
 * What the real server does with a custom resource and its CRD's structural schema: prune fields
 * the schema does not declare (unless x-kubernetes-preserve-unknown-fields), apply `default`s, and
 * reject values that break the schema with a 422 naming each field. Covers the keywords CRDs use
 * in practice; CEL validation rules (x-kubernetes-validations) are not evaluated.
 */
type Schema = Record<string, unknown>;

interface Cause {
  field: string;
  message: string;
  type: string;
}

/**
 * Prune, default and validate `obj` in place. Returns the paths of the fields pruned because the
 * schema does not declare them (what `fieldValidation=Strict` turns into an error).
 */
export function processCustomResource(type: ResourceType, obj: KubeObject): string[] {
  const schema = type.schema;
  if (!schema) return [];
  const props = isObject(schema.properties) ? schema.properties : {};
  const causes: Cause[] = [];
  const pruned: string[] = [];
  for (const key of Object.keys(obj)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata") continue;
    const sub = props[key];
    if (isObject(sub)) obj[key] = walk(obj[key], sub, key, causes, pruned);
    else if (schema["x-kubernetes-preserve-unknown-fields"] !== true) {
      delete obj[key];
      pruned.push(key);
    }
  }
  for (const [key, sub] of Object.entries(props)) {
    if (key === "metadata" || !isObject(sub)) continue;
    if (obj[key] === undefined && sub.default !== undefined)
      obj[key] = walk(clone(sub.default), sub, key, causes, pruned);
  }
  for (const req of Array.isArray(schema.required) ? schema.required : []) {
    if (obj[String(req)] === undefined)
      causes.push({ field: String(req), message: "Required value", type: "FieldValueRequired" });
  }
  if (causes.length > 0) throw invalid(type.kind, type.group, obj.metadata?.name ?? "", causes);
  return pruned;
}

const typeOf = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : Number.isInteger(v)
        ? "integer"
        : typeof v === "number"
          ? "number"
          : typeof v;

function typeMatches(value: unknown, schema: Schema): boolean {
  if (schema["x-kubernetes-int-or-string"] === true)
    return typeof value === "string" || Number.isInteger(value);
  const want = schema.type;
  if (typeof want !== "string") return true;
  const got = typeOf(value);
  return got === want || (want === "number" && got === "integer");
}

function walk(value: unknown, schema: Schema, path: string, causes: Cause[], pruned: string[]): unknown {
  if (value === null && schema.nullable === true) return value;
  if (!typeMatches(value, schema)) {
    causes.push({
      field: path,
      message: `Invalid value: "${typeOf(value)}": ${path} in body must be of type ${String(schema.type)}: "${typeOf(value)}"`,
      type: "FieldValueTypeInvalid",
    });
    return value;
  }
  if (isObject(value)) return walkObject(value, schema, path, causes, pruned);
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : undefined;
    checkBounds(value.length, schema, "minItems", "maxItems", path, causes, "items");
    return items ? value.map((v, i) => walk(v, items, `${path}[${i}]`, causes, pruned)) : value;
  }
  checkScalar(value, schema, path, causes);
  return value;
}

function walkObject(
  value: Record<string, unknown>,
  schema: Schema,
  path: string,
  causes: Cause[],
  pruned: string[],
): Record<string, unknown> {
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const additional = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const preserve =
    schema["x-kubernetes-preserve-unknown-fields"] === true || schema.additionalProperties === true;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = props?.[key];
    if (isObject(sub)) out[key] = walk(v, sub, `${path}.${key}`, causes, pruned);
    else if (additional) out[key] = walk(v, additional, `${path}.${key}`, causes, pruned);
    else if (preserve || (!props && schema.type !== "object")) out[key] = v;
    else pruned.push(`${path}.${key}`);
  }
  for (const [key, sub] of Object.entries(props ?? {})) {
    if (out[key] === undefined && isObject(sub) && sub.default !== undefined)
      out[key] = walk(clone(sub.default), sub, `${path}.${key}`, causes, pruned);
  }
  for (const req of Array.isArray(schema.required) ? schema.required : []) {
    if (out[String(req)] === undefined)
      causes.push({ field: `${path}.${String(req)}`, message: "Required value", type: "FieldValueRequired" });
  }
  return out;
}

function checkBounds(
  n: number,
  schema: Schema,
  minKey: string,
  maxKey: string,
  path: string,
  causes: Cause[],
  unit: string,
): void {
  const min = schema[minKey];
  const max = schema[maxKey];
  if (typeof min === "number" && n < min) {
    causes.push({
      field: path,
      message: `Invalid value: ${n}: ${path} in body should have at least ${min} ${unit}`,
      type: "FieldValueInvalid",
    });
  }
  if (typeof max === "number" && n > max) {
    causes.push({
      field: path,
      message: `Too many: ${n}: must have at most ${max} ${unit}`,
      type: "FieldValueTooMany",
    });
  }
}

function checkScalar(value: unknown, schema: Schema, path: string, causes: Cause[]): void {
  const shown = JSON.stringify(value);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(", ");
    causes.push({
      field: path,
      message: `Unsupported value: ${shown}: supported values: ${allowed}`,
      type: "FieldValueNotSupported",
    });
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      causes.push({
        field: path,
        message: `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`,
        type: "FieldValueInvalid",
      });
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      causes.push({
        field: path,
        message: `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`,
        type: "FieldValueInvalid",
      });
    }
  }
  if (typeof value === "string") {
    checkBounds(value.length, schema, "minLength", "maxLength", path, causes, "chars long");
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      causes.push({
        field: path,
        message: `Invalid value: ${shown}: ${path} in body should match '${schema.pattern}'`,
        type: "FieldValueInvalid",
      });
    }
  }
}
