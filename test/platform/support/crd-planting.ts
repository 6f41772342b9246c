import type { SchemaProblem } from "../../../src/core/validate/index.js";

/** A value inside an object by a validator path ("a.b[0].nvidia.com/gpu"): keys may hold dots. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  let rest = path;
  while (rest !== "") {
    const index = /^\[(\d+)\]\.?/.exec(rest);
    if (index) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index[1])];
      rest = rest.slice(index[0].length);
      continue;
    }
    if (current === null || typeof current !== "object") return undefined;
    const keys = Object.keys(current)
      .filter((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`))
      .sort((a, b) => b.length - a.length);
    const key = keys[0];
    if (key === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
    rest = rest.slice(key.length).replace(/^\./, "");
  }
  return current;
}

/** Sets a value at a dotted path of plain keys (no dots inside keys), creating objects on the way. */
export function setAtPath(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let current: Record<string | number, unknown> = root;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      current[key] = value;
      return;
    }
    if (current[key] === undefined || current[key] === null || typeof current[key] !== "object") {
      current[key] = typeof path[i + 1] === "number" ? [] : {};
    }
    current = current[key] as Record<string | number, unknown>;
  }
}

export interface Plant {
  /** Where an unknown field goes (its last element is the unknown name). */
  unknown: (string | number)[];
  /** A known field set to a value of the wrong type. */
  wrongType: (string | number)[];
  wrongValue: unknown;
}

/** A copy of the manifest with one unknown field and one wrongly typed field planted. */
export function plantMistakes(object: Record<string, unknown>, plant: Plant): Record<string, unknown> {
  const copy = structuredClone(object);
  setAtPath(copy, plant.unknown, "planted");
  setAtPath(copy, plant.wrongType, plant.wrongValue);
  return copy;
}

export function pathText(path: (string | number)[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc === "" ? p : `${acc}.${p}`),
    "",
  );
}

/** Whether the problems name both planted mistakes, each at its full path. */
export function reportsBoth(problems: SchemaProblem[], plant: Plant): boolean {
  const unknown = problems.some((p) => p.path === pathText(plant.unknown) && /unknown field/.test(p.message));
  const wrong = problems.some((p) => p.path === pathText(plant.wrongType) && /must be/.test(p.message));
  return unknown && wrong;
}
