/**
 * A CRD's openAPIV3Schema (OpenAPI v3 + Kubernetes extensions) → a JSON Schema ajv compiles, in a
 * strict reading: every object schema with `properties` and neither
 * `x-kubernetes-preserve-unknown-fields` nor `additionalProperties` is closed, so a field the API
 * server would silently prune (a typo, a field of another version) is reported instead.
 *
 * Translated: x-kubernetes-int-or-string and format int-or-string → integer|string; nullable →
 * null allowed; x-kubernetes-embedded-resource → apiVersion/kind/metadata allowed; properties with
 * a `default` are not required (the API server fills them in before validating). Dropped:
 * x-kubernetes-validations (CEL), list/map-type markers, formats (ajv does not know Kubernetes').
 */
import { ConfigError } from "../errors.js";

export type JsonSchema = Record<string, unknown>;

const COPIED = [
  "enum",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "uniqueItems",
  "multipleOf",
] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Translates one node of an openAPIV3Schema; `strict` closes object schemas as described above. */
export function translateSchema(node: unknown, strict = true): JsonSchema {
  if (!isRecord(node)) return {};
  const out: JsonSchema = {};
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  const intOrString = node["x-kubernetes-int-or-string"] === true || node.format === "int-or-string";

  if (intOrString) out.anyOf = [{ type: "integer" }, { type: "string" }];
  else if (typeof node.type === "string") out.type = node.type;
  for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];

  if (node.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }

  const properties: Record<string, JsonSchema> = {};
  if (isRecord(node.properties)) {
    for (const [key, sub] of Object.entries(node.properties)) properties[key] = translateSchema(sub, strict);
  }
  if (node["x-kubernetes-embedded-resource"] === true) {
    properties.apiVersion ??= { type: "string" };
    properties.kind ??= { type: "string" };
    properties.metadata ??= { type: "object" };
  }
  if (Object.keys(properties).length > 0) out.properties = properties;

  if (Array.isArray(node.required)) {
    const props = isRecord(node.properties) ? node.properties : {};
    const required = node.required.filter(
      (k) => typeof k === "string" && !(isRecord(props[k]) && "default" in props[k]),
    );
    if (required.length > 0) out.required = required;
  }
  if (node.items !== undefined) out.items = translateSchema(node.items, strict);
  for (const key of ["anyOf", "allOf", "oneOf"] as const) {
    if (Array.isArray(node[key]) && !intOrString) {
      out[key] = (node[key] as unknown[]).map((s) => translateSchema(s, strict));
    }
  }
  if (node.not !== undefined) out.not = translateSchema(node.not, strict);

  if (isRecord(node.additionalProperties))
    out.additionalProperties = translateSchema(node.additionalProperties, strict);
  else if (typeof node.additionalProperties === "boolean")
    out.additionalProperties = node.additionalProperties;
  else if (strict && !preserve && out.properties !== undefined) out.additionalProperties = false;
  return out;
}

interface CrdShape {
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: { versions?: Array<{ name?: unknown; schema?: { openAPIV3Schema?: unknown } }> };
}

/** The openAPIV3Schema of one version of a CustomResourceDefinition object. */
export function crdVersionSchema(crd: unknown, version: string): unknown {
  const c = crd as CrdShape;
  if (c?.kind !== "CustomResourceDefinition" || !Array.isArray(c.spec?.versions)) {
    throw new ConfigError("Not a CustomResourceDefinition with spec.versions");
  }
  const v = c.spec.versions.find((x) => x.name === version);
  if (!v?.schema?.openAPIV3Schema) {
    const known = c.spec.versions.map((x) => x.name).join(", ");
    throw new ConfigError(
      `CRD ${String(c.metadata?.name)} has no schema for version ${version} (has: ${known})`,
    );
  }
  return v.schema.openAPIV3Schema;
}
