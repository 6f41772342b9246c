/**
 * `${...}` handling as KRO does it: every string is scanned for `${`; a string that is exactly one
 * expression is "standalone" and takes the expression's value and type (an integer stays an
 * integer); otherwise it is a string template whose expressions must all return strings (KRO docs,
 * concepts/rgd/03-cel-expressions.md: "Expressions in string templates must return strings").
 *
 * The evaluator covers the CEL subset the platform's RGD uses with schema data: field paths
 * (`schema.spec.x`, `schema.metadata.name`, `<resource>.metadata.x` of an already rendered
 * resource), `string(...)`, string and integer literals, and — written with a space each side —
 * `c ? a : b`, `a == b`, `a != b` and `a + b` (the optional S3 model source picks its YAML form
 * with them). Anything else — notably `<resource>.status` reads, `?.` and `.orValue()` — is left as
 * written and reported as unresolved.
 */
import { ConfigError } from "../errors.js";

export interface Segment {
  /** Literal text, or the CEL source between `${` and `}`. */
  text: string;
  expression: boolean;
}

/**
 * Splits a string into literal and expression segments; braces inside CEL are balanced. Like KRO's
 * scanner (kubernetes-sigs/kro v0.9.3 pkg/graph/parser, extractExpressions), only double quotes
 * delimit a string literal there: a brace inside single quotes counts.
 */
export function splitExpressions(value: string): Segment[] {
  const segments: Segment[] = [];
  let literal = "";
  let i = 0;
  while (i < value.length) {
    if (value[i] === "$" && value[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      let quote: string | undefined;
      // Stryker disable next-line EqualityOperator: at j = length the character is undefined, no branch matches, and the loop ends unterminated either way
      while (j < value.length && depth > 0) {
        const ch = value[j];
        if (quote) {
          if (ch === "\\") j++;
          else if (ch === quote) quote = undefined;
        } else if (ch === '"') quote = ch;
        else if (ch === "{") depth++;
        else if (ch === "}") depth--;
        j++;
      }
      if (depth > 0) throw new ConfigError(`Unterminated \${ expression in "${value.slice(i, i + 60)}"`);
      if (literal) segments.push({ text: literal, expression: false });
      literal = "";
      segments.push({ text: value.slice(i + 2, j - 1).trim(), expression: true });
      i = j;
    } else {
      literal += value[i];
      i++;
    }
  }
  if (literal) segments.push({ text: literal, expression: false });
  return segments;
}

export function containsExpression(value: string): boolean {
  return value.includes("${");
}

/** A value could not be computed from schema data (a status read, an unsupported form). */
export class Unresolved {
  constructor(readonly expression: string) {}
}

export type Scope = Record<string, unknown>;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function lookupPath(source: string, scope: Scope): unknown {
  const parts = source.split(".");
  const root = parts[0] as string; // split always returns at least one part
  // A resource's status only exists in a cluster: KRO evaluates it later, the preview cannot.
  if (root !== "schema" && parts[1] === "status") return new Unresolved(source);
  if (!(root in scope)) return new Unresolved(source);
  let current: unknown = scope[root];
  for (const part of parts.slice(1)) {
    if (current === null || typeof current !== "object" || !(part in current)) return new Unresolved(source);
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function parseStringLiteral(source: string): string | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(source) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(source);
  return m ? (m[1] as string).replace(/\\(.)/g, "$1") : undefined;
}

/** Index of ` token ` outside quotes and brackets, or undefined. */
function findTopLevel(expr: string, token: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  // Stryker disable next-line EqualityOperator: at i = length the character is undefined and startsWith(token, length) is false
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth === 0 && expr.startsWith(token, i)) return i;
  }
  return undefined;
}

/** `c ? a : b`, `a == b`, `a != b`, `a + b` (lowest precedence first); undefined when none applies. */
function evaluateOperator(expr: string, scope: Scope): unknown {
  const question = findTopLevel(expr, " ? ");
  if (question !== undefined) {
    // " ? " was found at the top level, so its branches start at the top level too.
    const branches = expr.slice(question + 3);
    const colon = findTopLevel(branches, " : ");
    if (colon === undefined) return new Unresolved(expr);
    const condition = evaluateExpression(expr.slice(0, question), scope);
    if (typeof condition !== "boolean") return new Unresolved(expr);
    return evaluateExpression(condition ? branches.slice(0, colon) : branches.slice(colon + 3), scope);
  }
  for (const op of [" == ", " != "]) {
    const at = findTopLevel(expr, op);
    if (at === undefined) continue;
    const left = evaluateExpression(expr.slice(0, at), scope);
    const right = evaluateExpression(expr.slice(at + op.length), scope);
    if (left instanceof Unresolved || right instanceof Unresolved) return new Unresolved(expr);
    return op === " == " ? left === right : left !== right;
  }
  const plus = findTopLevel(expr, " + ");
  if (plus !== undefined) {
    const left = evaluateExpression(expr.slice(0, plus), scope);
    const right = evaluateExpression(expr.slice(plus + 3), scope);
    if (typeof left === "string" && typeof right === "string") return left + right;
    if (typeof left === "number" && typeof right === "number") return left + right;
    return new Unresolved(expr);
  }
  return undefined;
}

/** Evaluates one CEL expression of the supported subset. */
export function evaluateExpression(source: string, scope: Scope): unknown {
  const expr = source.trim();
  const operated = evaluateOperator(expr, scope);
  if (operated !== undefined) return operated;
  const literal = parseStringLiteral(expr);
  if (literal !== undefined) return literal;
  if (/^-?\d+$/.test(expr)) return Number.parseInt(expr, 10);
  const call = /^string\((.*)\)$/s.exec(expr);
  if (call) {
    const inner = evaluateExpression(call[1] as string, scope);
    // An object (or an Unresolved, itself an object) has no string form in the subset.
    if (typeof inner === "object" && inner !== null) return new Unresolved(expr);
    return String(inner);
  }
  if (PATH.test(expr)) return lookupPath(expr, scope);
  return new Unresolved(expr);
}

export interface Substitution {
  value: unknown;
  unresolved: string[];
}

/**
 * Applies KRO's rules to one string value. `where` names the field for error messages.
 * Standalone: the value (any type). Template: concatenation; a non-string result is an RGD error.
 */
export function substituteString(value: string, scope: Scope, where: string): Substitution {
  const segments = splitExpressions(value);
  // Read only when there is exactly one segment. Text without "${" is one literal segment (or none),
  // which the template loop below returns unchanged.
  const only = segments[0] as Segment;
  if (segments.length === 1 && only.expression) {
    const result = evaluateExpression(only.text, scope);
    if (result instanceof Unresolved) return { value, unresolved: [only.text] };
    return { value: result, unresolved: [] };
  }
  const unresolved: string[] = [];
  let out = "";
  for (const segment of segments) {
    if (!segment.expression) {
      out += segment.text;
      continue;
    }
    const result = evaluateExpression(segment.text, scope);
    if (result instanceof Unresolved) {
      unresolved.push(segment.text);
      out += `\${${segment.text}}`;
    } else if (typeof result !== "string") {
      throw new ConfigError(
        `${where}: \${${segment.text}} returns ${typeof result} inside a string template; KRO requires a string (wrap it in string())`,
      );
    } else {
      out += result;
    }
  }
  return { value: out, unresolved };
}

/** Walks any JSON-like value, substituting every string (keys are not scanned: KRO does not either). */
export function substituteDeep(value: unknown, scope: Scope, where: string, unresolved: string[]): unknown {
  if (typeof value === "string") {
    const result = substituteString(value, scope, where);
    unresolved.push(...result.unresolved);
    return result.value;
  }
  if (Array.isArray(value))
    return value.map((v, i) => substituteDeep(v, scope, `${where}[${i}]`, unresolved));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = substituteDeep(v, scope, `${where}.${k}`, unresolved);
    return out;
  }
  return value;
}
