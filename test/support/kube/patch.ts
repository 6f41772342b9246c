import { badRequest, KubeError } from "./errors.js";
import { clone, deepEqual } from "./json.js";
import { isObject } from "./types.js";

/**
 * The three patch formats of PATCH requests: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
 * and strategic merge patch for built-in types (lists merged by their patch merge key, the
 * `$patch`, `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` directives kubectl
 * sends). Server-side apply lives in apply.ts.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, parts: string[], op: string): { parent: unknown; key: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isObject(cur) ? cur[part] : undefined;
    if (cur === undefined)
      throw jsonPatchError(`${op} operation does not apply: doc is missing path: /${parts.join("/")}`);
  }
  return { parent: cur, key: parts[parts.length - 1] ?? "" };
}

const jsonPatchError = (message: string): KubeError => new KubeError(422, "Invalid", message);

function getAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const part of decodePointer(pointer)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isObject(cur) ? cur[part] : undefined;
    if (cur === undefined) throw jsonPatchError(`doc is missing path: ${pointer}`);
  }
  return cur;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const parts = decodePointer(pointer);
  const { parent, key } = parentOf(doc, parts, "remove");
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length))
      throw jsonPatchError(`remove operation does not apply: doc is missing path: ${pointer}`);
    return parent.splice(i, 1)[0];
  }
  if (!isObject(parent) || !(key in parent)) {
    throw jsonPatchError(`remove operation does not apply: doc is missing path: ${pointer}`);
  }
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const parts = decodePointer(pointer);
  if (parts.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, parts, replace ? "replace" : "add");
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!(Number.isInteger(i) && i >= 0 && i <= parent.length) || (replace && i >= parent.length)) {
      throw jsonPatchError(
        `${replace ? "replace" : "add"} operation does not apply: index out of range: ${pointer}`,
      );
    }
    parent.splice(i, replace ? 1 : 0, clone(value));
  } else if (isObject(parent)) {
    if (replace && !(key in parent)) {
      throw jsonPatchError(`replace operation does not apply: doc is missing key: ${pointer}`);
    }
    parent[key] = clone(value);
  } else {
    throw jsonPatchError(`add operation does not apply: doc is missing path: ${pointer}`);
  }
  return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest("json patch must be an array of operations");
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
    }
    const path = raw.path;
    switch (raw.op) {
      case "add":
        doc = addAt(doc, path, raw.value, false);
        break;
      case "replace":
        doc = addAt(doc, path, raw.value, true);
        break;
      case "remove":
        removeAt(doc, path);
        break;
      case "move": {
        const value = removeAt(doc, String(raw.from));
        doc = addAt(doc, path, value, false);
        break;
      }
      case "copy":
        doc = addAt(doc, path, getAt(doc, String(raw.from)), false);
        break;
      case "test":
        if (!deepEqual(getAt(doc, path), raw.value)) {
          throw jsonPatchError(`testing value ${path} failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}

/**
 * Patch merge keys of the built-in list fields the project uses, by field name. The real server
 * takes them from the Go struct tags; field names are unambiguous enough for these types, except
 * `ports` (containers merge on containerPort, services on port).
 */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Primitive lists that merge as sets rather than being replaced. */
const mergedPrimitiveLists = new Set(["finalizers"]);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === "ports") {
    return items.some((i) => isObject(i) && "containerPort" in i) ? "containerPort" : "port";
  }
  return mergeKeys[field];
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  return mergeStrategic(target, patch);
}

function mergeStrategic(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$retainKeys" || key === "$patch" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[field] = current.filter((v) => !value.some((d) => deepEqual(d, v)));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value)) {
      out[key] = mergeList(key, out[key], value);
    } else if (isObject(value)) {
      const merged = mergeStrategic(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else {
      out[key] = value;
    }
  }
  if (retain) for (const key of Object.keys(out)) if (!retain.has(key)) delete out[key];
  return out;
}

function mergeList(field: string, current: unknown, patch: unknown[]): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  if (mergedPrimitiveLists.has(field)) {
    const out = [...existing];
    for (const v of patch) if (!out.some((e) => deepEqual(e, v))) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, [...existing, ...patch]);
  if (!key) {
    if (patch.some((p) => isObject(p) && p.$patch === "replace")) return [];
    return patch.map(stripDirectives);
  }
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) {
    return patch.filter((p) => !(isObject(p) && p.$patch === "replace")).map(stripDirectives);
  }
  const out = [...existing];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((e) => isObject(e) && deepEqual(e[key], item[key]));
    if (item.$patch === "delete") {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = mergeStrategic(out[index], item);
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$")) out[k] = stripDirectives(v);
  return out;
}
