import { deepEqual } from "./json.js";
import { isObject } from "./types.js";

/**
 * Field paths in the shape of managedFields' FieldsV1: `f:<field>` for map keys and
 * `k:{"name":"x"}` for items of lists keyed by a merge key; every other list is atomic (one leaf).
 * A path is an array of those elements; sets of paths are keyed by their JSON.
 */
export type FieldPath = string[];

/** Fields the server owns itself; they never appear in managedFields. */
const ignoredTop = new Set(["apiVersion", "kind"]);
const ignoredMeta = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

const listKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  imagePullSecrets: "name",
  conditions: "type",
  ownerReferences: "uid",
};

/** The merge key of a list, or undefined when the list is atomic. */
export function listKeyOf(field: string, items: unknown[]): string | undefined {
  if (items.length === 0 || !items.every(isObject)) return undefined;
  const key =
    field === "ports"
      ? items.every((i) => "containerPort" in i)
        ? "containerPort"
        : "port"
      : listKeys[field];
  if (key && items.every((i) => i[key] !== undefined)) return key;
  if (items.every((i) => typeof i.name === "string")) return "name";
  return undefined;
}

export function itemElement(key: string, item: Record<string, unknown>): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** Leaf paths of an object, skipping server-owned metadata (and status when `skipStatus`). */
export function leafPaths(obj: Record<string, unknown>, skipStatus = false): FieldPath[] {
  const out: FieldPath[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (ignoredTop.has(key) || value === undefined) continue;
    if (skipStatus && key === "status") continue;
    if (key === "metadata" && isObject(value)) {
      for (const [mk, mv] of Object.entries(value)) {
        if (!ignoredMeta.has(mk) && mv !== undefined) collect(mv, mk, ["f:metadata", `f:${mk}`], out);
      }
      continue;
    }
    collect(value, key, [`f:${key}`], out);
  }
  return out;
}

function collect(value: unknown, field: string, path: FieldPath, out: FieldPath[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) collect(v, k, [...path, `f:${k}`], out);
    return;
  }
  if (Array.isArray(value)) {
    const key = listKeyOf(field, value);
    if (key) {
      for (const item of value as Record<string, unknown>[]) {
        collect(item, "", [...path, itemElement(key, item)], out);
      }
      return;
    }
  }
  out.push(path);
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el.startsWith("f:")) cur = isObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith("k:")) {
      const keyObj = JSON.parse(el.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur)
        ? cur.find((i) => isObject(i) && Object.entries(keyObj).every(([k, v]) => deepEqual(i[k], v)))
        : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Remove the value at a path (a whole item for a `k:` element); no-op when absent. */
export function removeAt(obj: unknown, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!last) return;
  if (last.startsWith("f:") && isObject(parent)) delete parent[last.slice(2)];
  if (last.startsWith("k:") && Array.isArray(parent)) {
    const item = valueAt(obj, path);
    const i = parent.indexOf(item);
    if (i >= 0) parent.splice(i, 1);
  }
}

export const pathId = (path: FieldPath): string => JSON.stringify(path);
export const parsePathId = (id: string): FieldPath => JSON.parse(id) as FieldPath;

/** A FieldsV1 tree (`{"f:data":{"f:key":{}}}`) from a set of leaf paths. */
export function toFieldsV1(paths: Iterable<FieldPath>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const el of path) {
      const next = (node[el] as Record<string, unknown> | undefined) ?? {};
      node[el] = next;
      if (el.startsWith("k:")) next["."] = {};
      node = next;
    }
  }
  return root;
}

/** Leaf paths back from a FieldsV1 tree. */
export function fromFieldsV1(tree: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (!isObject(tree)) return out;
  const children = Object.keys(tree).filter((k) => k !== ".");
  if (children.length === 0 && prefix.length > 0) out.push(prefix);
  for (const child of children) fromFieldsV1(tree[child], [...prefix, child], out);
  return out;
}

/** A path as the real server prints it in conflict messages: `.spec.replicas`, `.spec.containers[name="a"].image`. */
export function describePath(path: FieldPath): string {
  return path
    .map((el) => {
      if (el.startsWith("f:")) return `.${el.slice(2)}`;
      const keyObj = JSON.parse(el.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keyObj)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}
