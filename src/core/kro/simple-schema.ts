/**
 * KRO SimpleSchema → OpenAPI v3 (the schema KRO puts into the CRD it generates for an RGD's kind).
 *
 * A field is written `type | marker=value marker="quoted value"`; types are string, integer,
 * boolean, float (number), object, `[]T`, `map[string]T`, or a nested mapping of fields. Markers:
 * required, default, minimum, maximum, enum ("a,b,c"), pattern, description (KRO docs,
 * website/docs/docs/concepts/10-simple-schema.md). Only what the platform's RGD can use is covered;
 * anything else is rejected loudly so a preview never silently differs from KRO.
 */
import { ConfigError } from "../errors.js";

export interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  required?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  pattern?: string;
  description?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-validations"?: { rule: string; message: string }[];
}

// KRO's marker set (pkg/simpleschema/markers.go). `validation` and `immutable` become CEL rules that
// only an API server evaluates; they are recorded, not checked, by the preview.
const MARKERS = new Set([
  "required",
  "default",
  "description",
  "minimum",
  "maximum",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "immutable",
  "validation",
]);

/** Split `key=value key="quoted value"` into pairs, honouring double quotes (with \" escapes). */
function parseMarkers(text: string, field: string): Map<string, string> {
  const markers = new Map<string, string>();
  let i = 0;
  // Stryker disable next-line EqualityOperator: at i = length the next line breaks out, as the loop test would
  while (i < text.length) {
    while (text[i] === " ") i++;
    if (i >= text.length) break;
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new ConfigError(`SimpleSchema field "${field}": marker without "=" in "${text}"`);
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    let value = "";
    if (text[i] === '"') {
      i++;
      // Stryker disable next-line EqualityOperator: past the end the quote is missing either way and the same "unterminated quote" is thrown
      while (i < text.length && text[i] !== '"') {
        // Like KRO's unescapeString: \" and \\ lose their backslash, any other \x keeps it (regexes).
        if (text[i] === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) i++;
        value += text[i];
        i++;
      }
      if (text[i] !== '"') throw new ConfigError(`SimpleSchema field "${field}": unterminated quote`);
      i++;
    } else {
      const end = text.indexOf(" ", i);
      // Stryker disable next-line EqualityOperator: end is searched from i, just after "=", so it is never 0
      value = end < 0 ? text.slice(i) : text.slice(i, end);
      // Stryker disable next-line EqualityOperator: end is searched from i, just after "=", so it is never 0
      i = end < 0 ? text.length : end;
    }
    if (!MARKERS.has(key)) throw new ConfigError(`SimpleSchema field "${field}": unknown marker "${key}"`);
    markers.set(key, value);
  }
  return markers;
}

function typeSchema(type: string, field: string): OpenApiSchema {
  if (type.startsWith("[]")) return { type: "array", items: typeSchema(type.slice(2), field) };
  const map = /^map\[string\](.+)$/.exec(type);
  if (map?.[1]) return { type: "object", additionalProperties: typeSchema(map[1], field) };
  switch (type) {
    case "string":
    case "integer":
    case "boolean":
      return { type };
    case "float":
    case "number":
      return { type: "number" };
    case "object":
      return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    default:
      throw new ConfigError(`SimpleSchema field "${field}": unsupported type "${type}"`);
  }
}

function convertScalar(raw: string, schema: OpenApiSchema, field: string, marker: string): unknown {
  if (schema.type === "integer") {
    if (!/^-?\d+$/.test(raw))
      throw new ConfigError(`SimpleSchema field "${field}": ${marker} "${raw}" is not an integer`);
    return Number.parseInt(raw, 10);
  }
  if (schema.type === "number") {
    const n = Number(raw);
    if (Number.isNaN(n))
      throw new ConfigError(`SimpleSchema field "${field}": ${marker} "${raw}" is not a number`);
    return n;
  }
  if (schema.type === "boolean") {
    if (raw !== "true" && raw !== "false")
      throw new ConfigError(`SimpleSchema field "${field}": ${marker} must be true or false`);
    return raw === "true";
  }
  return raw;
}

/**
 * KRO (pkg/simpleschema transform, applyMarkers) quotes a string default and passes every other
 * type's default through as raw JSON: `default=["g5","g6"]` on a `[]string` is that list.
 */
function convertDefault(raw: string, schema: OpenApiSchema, field: string): unknown {
  if (schema.type !== "array" && schema.type !== "object")
    return convertScalar(raw, schema, field, "default");
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ConfigError(`SimpleSchema field "${field}": default ${raw} is not JSON`);
  }
}

/** One leaf, e.g. `integer | default=1 minimum=1 maximum=8`; returns its schema and whether it is required. */
export function parseSimpleField(spec: string, field: string): { schema: OpenApiSchema; required: boolean } {
  const bar = spec.indexOf("|");
  const type = (bar < 0 ? spec : spec.slice(0, bar)).trim();
  const schema = typeSchema(type, field);
  // Stryker disable next-line EqualityOperator: with "|" first the type is "", which typeSchema has already refused
  const markers = bar < 0 ? new Map<string, string>() : parseMarkers(spec.slice(bar + 1), field);
  const required = markers.get("required") === "true";
  const description = markers.get("description");
  if (description !== undefined) schema.description = description;
  const pattern = markers.get("pattern");
  if (pattern !== undefined) schema.pattern = pattern;
  for (const bound of ["minimum", "maximum"] as const) {
    const raw = markers.get(bound);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (Number.isNaN(n))
      throw new ConfigError(`SimpleSchema field "${field}": ${bound} "${raw}" is not a number`);
    schema[bound] = n;
  }
  for (const [marker, type] of [
    ["minLength", "string"],
    ["maxLength", "string"],
    ["minItems", "array"],
    ["maxItems", "array"],
  ] as const) {
    const raw = markers.get(marker);
    if (raw === undefined) continue;
    if (schema.type !== type)
      throw new ConfigError(`SimpleSchema field "${field}": ${marker} is only valid for ${type} types`);
    if (!/^\d+$/.test(raw))
      throw new ConfigError(`SimpleSchema field "${field}": ${marker} "${raw}" is not an integer`);
    schema[marker] = Number.parseInt(raw, 10);
  }
  const rules: { rule: string; message: string }[] = [];
  if (markers.get("immutable") === "true")
    rules.push({ rule: "self == oldSelf", message: "field is immutable" });
  const validation = markers.get("validation");
  if (validation !== undefined) rules.push({ rule: validation, message: "validation failed" });
  if (rules.length > 0) schema["x-kubernetes-validations"] = rules;
  const enumRaw = markers.get("enum");
  if (enumRaw !== undefined) {
    if (schema.type !== "string" && schema.type !== "integer") {
      throw new ConfigError(
        `SimpleSchema field "${field}": enum is only supported for string and integer types`,
      );
    }
    schema.enum = enumRaw.split(",").map((v) => convertScalar(v.trim(), schema, field, "enum value"));
  }
  const def = markers.get("default");
  if (def !== undefined) schema.default = convertDefault(def, schema, field);
  return { schema, required };
}

/** A mapping of fields (the RGD's `schema.spec`) → an object schema with `required` and defaults. */
export function convertSimpleSchema(fields: unknown, path = "spec"): OpenApiSchema {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new ConfigError(`SimpleSchema at "${path}" must be a mapping of fields`);
  }
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const fieldPath = `${path}.${name}`;
    if (typeof value === "string") {
      const leaf = parseSimpleField(value, fieldPath);
      properties[name] = leaf.schema;
      if (leaf.required) required.push(name);
    } else {
      properties[name] = convertSimpleSchema(value, fieldPath);
    }
  }
  const schema: OpenApiSchema = { type: "object", properties };
  if (required.length > 0) schema.required = required;
  return schema;
}
