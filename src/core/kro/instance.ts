/**
 * Checks an instance's spec against the schema KRO generated from SimpleSchema, the way the API
 * server would (defaults, required, types, minimum/maximum, enum, pattern), and rejects what the
 * API server would silently accept but must not pass here: unknown fields (they would be pruned,
 * so a typo does nothing) and `${` in any value (KRO would evaluate it: an injection).
 */
import { UsageError } from "../errors.js";
import type { OpenApiSchema } from "./simple-schema.js";

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string | undefined): boolean {
  if (type === undefined) return true;
  const actual = typeOf(value);
  if (type === "number") return actual === "number" || actual === "integer";
  return actual === type;
}

function checkLeaf(value: unknown, schema: OpenApiSchema, path: string, problems: string[]): void {
  if (!matchesType(value, schema.type)) {
    problems.push(
      `${path} must be ${schema.type === "integer" ? "an integer" : `a ${schema.type}`} (got ${JSON.stringify(value)})`,
    );
    return;
  }
  if (typeof value === "number") {
    // Stryker disable next-line ConditionalExpression: a number < undefined is false, so the guard cannot change the result
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${path} must be at least ${schema.minimum} (got ${value})`);
    // Stryker disable next-line ConditionalExpression: a number > undefined is false, so the guard cannot change the result
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${path} must be at most ${schema.maximum} (got ${value})`);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(
      `${path} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")} (got ${JSON.stringify(value)})`,
    );
  }
  // Stryker disable next-line ConditionalExpression: a length < undefined is false, so the guard cannot change the result
  if (typeof value === "string" && schema.minLength !== undefined && value.length < schema.minLength) {
    problems.push(`${path} must be at least ${schema.minLength} characters`);
  }
  // Stryker disable next-line ConditionalExpression: a length > undefined is false, so the guard cannot change the result
  if (typeof value === "string" && schema.maxLength !== undefined && value.length > schema.maxLength) {
    problems.push(`${path} must be at most ${schema.maxLength} characters (got ${value.length})`);
  }
  // Stryker disable next-line ConditionalExpression: new RegExp(undefined) is /(?:)/, which matches every string
  if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path} ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
}

/** Returns a copy with defaults applied; pushes every problem found (all at once, not the first). */
export function applySchema(
  value: unknown,
  schema: OpenApiSchema,
  path: string,
  problems: string[],
): unknown {
  if (schema.type === "object" && schema.properties) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${path} must be an object`);
      return value;
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (!(key in schema.properties))
        problems.push(
          `${path}.${key} is not a field of this kind (known: ${Object.keys(schema.properties).join(", ")})`,
        );
    }
    for (const [key, sub] of Object.entries(schema.properties)) {
      const v = input[key];
      if (v === undefined) {
        if (schema.required?.includes(key)) problems.push(`${path}.${key} is required`);
        else if (sub.default !== undefined) out[key] = sub.default;
        continue;
      }
      out[key] = applySchema(v, sub, `${path}.${key}`, problems);
    }
    return out;
  }
  if (schema.type === "array" && schema.items) {
    if (!Array.isArray(value)) {
      problems.push(`${path} must be an array`);
      return value;
    }
    return value.map((v, i) => applySchema(v, schema.items as OpenApiSchema, `${path}[${i}]`, problems));
  }
  checkLeaf(value, schema, path, problems);
  return value;
}

/** Every string anywhere in the value that contains `${`, with its path. */
export function findInjections(value: unknown, path: string, found: string[] = []): string[] {
  if (typeof value === "string" && value.includes("${")) found.push(path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) findInjections(v, `${path}[${i}]`, found);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) findInjections(v, `${path}.${k}`, found);
  }
  return found;
}

export interface InstanceShape {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; [k: string]: unknown };
  spec?: unknown;
}

/** Validates the whole instance; throws one UsageError listing every problem. */
export function checkInstance(
  instance: InstanceShape,
  kind: string,
  specSchema: OpenApiSchema,
): Record<string, unknown> {
  const problems: string[] = [];
  if (instance.kind !== kind) problems.push(`kind must be ${kind} (got ${JSON.stringify(instance.kind)})`);
  if (typeof instance.metadata?.name !== "string" || instance.metadata.name === "")
    problems.push("metadata.name is required");
  const injections = findInjections({ metadata: instance.metadata, spec: instance.spec }, "");
  for (const path of injections) {
    problems.push(`${path.slice(1)} contains "\${", which KRO would evaluate as an expression`);
  }
  const spec = applySchema(instance.spec ?? {}, specSchema, "spec", problems) as Record<string, unknown>;
  if (problems.length > 0) {
    throw new UsageError(`Invalid ${kind}:\n  - ${problems.join("\n  - ")}`, {
      code: "invalid-instance",
      details: { problems },
    });
  }
  return spec;
}
