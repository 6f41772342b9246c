import { splitExpressions } from "../../../../src/core/kro/index.js";
import { CelError, evaluateCel } from "./cel.js";

/**
 * What KRO does with the expressions the preview renderer could not resolve from the instance
 * alone: evaluate them against live objects (CEL), substitute standalone expressions with their
 * typed value and string templates with strings, and evaluate readyWhen/includeWhen.
 */
export type Env = Record<string, unknown>;

export class NotResolvable extends Error {}

export function resolveString(value: string, env: Env): unknown {
  if (!value.includes("${")) return value;
  const segments = splitExpressions(value);
  const only = segments[0];
  try {
    if (segments.length === 1 && only?.expression) return evaluateCel(only.text, env);
    return segments.map((s) => (s.expression ? String(evaluateCel(s.text, env)) : s.text)).join("");
  } catch (error) {
    if (error instanceof CelError) throw new NotResolvable(error.message);
    throw error;
  }
}

export function resolveDeep(value: unknown, env: Env): unknown {
  if (typeof value === "string") return resolveString(value, env);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, env));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, env);
    return out;
  }
  return value;
}

/** All conditions true; an expression that cannot be evaluated yet counts as false. */
export function allTrue(expressions: string[], env: Env): boolean {
  return expressions.every((e) => {
    try {
      return resolveString(e, env) === true;
    } catch (error) {
      if (error instanceof NotResolvable) return false;
      throw error;
    }
  });
}

/** The ids of other resources a template's expressions read (its dependencies). */
export function dependenciesOf(template: unknown, ids: string[], self: string): string[] {
  const text = JSON.stringify(template ?? {});
  const expressions = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? "");
  return ids.filter(
    (id) => id !== self && expressions.some((e) => new RegExp(`(^|[^A-Za-z0-9_.])${id}\\s*\\.`).test(e)),
  );
}
