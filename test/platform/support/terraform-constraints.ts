/**
 * Terraform version constraints ("~> 6.28", ">= 1.3.2, < 2.0", "21.19.0") and whether several of
 * them can be satisfied by one version, the way `terraform init` would have to pick a provider.
 */

export type Version = [number, number, number];
type Op = "=" | "!=" | ">" | ">=" | "<" | "<=";
interface Bound {
  op: Op;
  version: Version;
}

const PART = /^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?\s*$/;

export function parseConstraint(constraint: string): Bound[] {
  const bounds: Bound[] = [];
  for (const part of constraint.split(",")) {
    const m = PART.exec(part);
    if (!m) throw new Error(`not a version constraint: "${constraint}"`);
    const op = m[1] ?? "=";
    const parts = [m[2], m[3], m[4]].filter((p): p is string => p !== undefined).map(Number);
    const version: Version = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
    if (op === "~>") {
      // ~> 6.28 allows 6.28 up to (not including) 7.0; ~> 6.28.1 allows 6.28.x from .1.
      const upper: Version =
        parts.length >= 3
          ? [version[0], version[1] + 1, 0]
          : parts.length === 2
            ? [version[0] + 1, 0, 0]
            : [version[0] + 1, 0, 0];
      bounds.push({ op: ">=", version }, { op: "<", version: upper });
    } else {
      bounds.push({ op: op as Op, version });
    }
  }
  return bounds;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function satisfies(version: Version, bounds: readonly Bound[]): boolean {
  return bounds.every(({ op, version: v }) => {
    const c = compareVersions(version, v);
    switch (op) {
      case "=":
        return c === 0;
      case "!=":
        return c !== 0;
      case ">":
        return c > 0;
      case ">=":
        return c >= 0;
      case "<":
        return c < 0;
      default:
        return c <= 0;
    }
  });
}

/** Whether `version` ("1.10.0") satisfies a constraint. */
export function allows(constraint: string, version: string): boolean {
  return satisfies(parseConstraint(version)[0]?.version ?? [0, 0, 0], parseConstraint(constraint));
}

/**
 * The lowest version satisfying every constraint, or undefined when none can. The lowest
 * solution is always a bound named in a constraint, just above one (for > and !=), or 0.0.0.
 */
export function lowestCommonVersion(constraints: readonly string[]): Version | undefined {
  const bounds = constraints.flatMap(parseConstraint);
  const candidates: Version[] = [[0, 0, 0]];
  for (const {
    version: [a, b, c],
  } of bounds)
    candidates.push([a, b, c], [a, b, c + 1]);
  candidates.sort(compareVersions);
  return candidates.find((v) => satisfies(v, bounds));
}

/** Whether a constraint has an upper bound (so a new major version cannot slip in). */
export function hasUpperBound(constraint: string): boolean {
  return parseConstraint(constraint).some((b) => b.op === "<" || b.op === "<=" || b.op === "=");
}

/** Whether a constraint names exactly one version ("21.19.0" or "= 21.19.0"). */
export function isExactVersion(constraint: string): boolean {
  const bounds = parseConstraint(constraint);
  return bounds.length === 1 && bounds[0]?.op === "=" && /\d+\.\d+\.\d+/.test(constraint);
}

export function formatVersion(v: Version): string {
  return v.join(".");
}
