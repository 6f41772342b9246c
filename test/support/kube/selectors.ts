import { badRequest } from "./errors.js";
import type { KubeObject, ResourceType } from "./types.js";
import { isObject } from "./types.js";

/**
 * Label selectors (equality- and set-based, as in `kubectl get -l 'app in (a,b),!legacy'`) and
 * field selectors (metadata.name / metadata.namespace everywhere, plus the few per-type fields
 * the real server indexes). Unsupported field labels are a 400, like kube-apiserver.
 */
type LabelRequirement =
  | { op: "exists" | "notexists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "gt" | "lt"; key: string; value: number };

export type Matcher = (obj: KubeObject) => boolean;

const matchAll: Matcher = () => true;

/** Split on commas that are not inside `( )`. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseLabelTerm(term: string): LabelRequirement {
  const set = /^([^\s!=<>]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = set[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    return { op: set[2] === "in" ? "in" : "notin", key: set[1]!, values };
  }
  const cmp = /^([^\s!=<>]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(term);
  if (cmp) {
    const [, key, op, value] = cmp as unknown as [string, string, string, string];
    if (op === "<" || op === ">") {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw badRequest(
          `unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer`,
        );
      return { op: op === ">" ? "gt" : "lt", key, value: n };
    }
    return { op: op === "!=" ? "notin" : "in", key, values: [value.trim()] };
  }
  if (/^![^\s!=<>(),]+$/.test(term)) return { op: "notexists", key: term.slice(1) };
  if (/^[^\s!=<>(),]+$/.test(term)) return { op: "exists", key: term };
  throw badRequest(`unable to parse requirement: found '${term}', expected: a valid label selector`);
}

function matchesRequirement(labels: Record<string, string>, req: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case "exists":
      return has;
    case "notexists":
      return !has;
    case "in":
      return has && req.values.includes(value ?? "");
    case "notin":
      return !has || !req.values.includes(value ?? "");
    case "gt":
      return has && Number(value) > req.value;
    case "lt":
      return has && Number(value) < req.value;
  }
}

export function parseLabelSelector(selector: string | undefined | null): Matcher {
  if (!selector) return matchAll;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => {
    const labels = (obj.metadata?.labels ?? {}) as Record<string, string>;
    return reqs.every((r) => matchesRequirement(labels, r));
  };
}

/** Fields the real server lets you select on beyond metadata.name/namespace. */
const extraFields: Record<string, string[]> = {
  "/pods": [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "status.phase",
    "status.podIP",
  ],
  "/events": [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "reason",
    "type",
    "source",
  ],
  "/secrets": ["type"],
  "/nodes": ["spec.unschedulable"],
  "/namespaces": ["status.phase"],
  "batch/jobs": ["status.successful"],
};

function readPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) cur = isObject(cur) ? cur[part] : undefined;
  return cur === undefined || cur === null ? "" : String(cur);
}

export function parseFieldSelector(selector: string | undefined | null, type: ResourceType): Matcher {
  if (!selector) return matchAll;
  const allowed = new Set([
    "metadata.name",
    "metadata.namespace",
    ...(extraFields[`${type.group}/${type.plural}`] ?? []),
  ]);
  const tests = splitTerms(selector).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!allowed.has(field.trim())) {
      throw badRequest(`field label not supported: ${field.trim()}`);
    }
    const equal = op !== "!=";
    return (obj: KubeObject) => (readPath(obj, field.trim()) === value.trim()) === equal;
  });
  return (obj) => tests.every((t) => t(obj));
}
