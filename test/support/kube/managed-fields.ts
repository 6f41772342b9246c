import { KubeError } from "./errors.js";
import {
  describePath,
  type FieldPath,
  fromFieldsV1,
  leafPaths,
  listKeyOf,
  parsePathId,
  pathId,
  removeAt,
  toFieldsV1,
  valueAt,
} from "./field-paths.js";
import { clone, deepEqual, nowTimestamp } from "./json.js";
import { isObject, type KubeObject, type ManagedFieldsEntry } from "./types.js";

/**
 * Field ownership as server-side apply sees it. Every write records which manager set which
 * fields (`Update` for create/update/patch, `Apply` for apply patches); an apply that changes a
 * field another manager owns is a 409 conflict unless forced, and fields a manager stops applying
 * are removed when nobody else owns them.
 */
interface Owner {
  manager: string;
  operation: "Apply" | "Update";
  subresource?: string;
  paths: Set<string>;
  /** Kept from the stored entry unless this write changed what the manager owns. */
  time?: string;
}

function readOwners(obj: KubeObject | undefined): Owner[] {
  return (obj?.metadata?.managedFields ?? []).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    subresource: e.subresource,
    paths: new Set(fromFieldsV1(e.fieldsV1).map(pathId)),
    time: e.time,
  }));
}

function writeOwners(obj: KubeObject, owners: Owner[], apiVersion: string): void {
  const entries: ManagedFieldsEntry[] = owners
    .filter((o) => o.paths.size > 0)
    .map((o) => {
      const entry: ManagedFieldsEntry = {
        manager: o.manager,
        operation: o.operation,
        apiVersion,
        time: o.time ?? nowTimestamp(),
        fieldsType: "FieldsV1",
        fieldsV1: toFieldsV1([...o.paths].map(parsePathId)),
      };
      if (o.subresource) entry.subresource = o.subresource;
      return entry;
    });
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
}

function ownerFor(
  owners: Owner[],
  manager: string,
  operation: "Apply" | "Update",
  subresource?: string,
): Owner {
  let owner = owners.find(
    (o) => o.manager === manager && o.operation === operation && o.subresource === subresource,
  );
  if (!owner) {
    owner = { manager, operation, subresource, paths: new Set() };
    owners.push(owner);
  }
  return owner;
}

/** Record an ordinary write: the fields it changed now belong to `manager`. */
export function trackUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  subresource?: string,
): void {
  const owners = readOwners(before);
  const afterPaths = leafPaths(after);
  const present = new Set(afterPaths.map(pathId));
  const changed = afterPaths.filter(
    (p) => before === undefined || !deepEqual(valueAt(before, p), valueAt(after, p)),
  );
  for (const o of owners) for (const id of [...o.paths]) if (!present.has(id)) o.paths.delete(id);
  if (changed.length > 0) {
    const mine = ownerFor(owners, manager, "Update", subresource);
    mine.time = undefined;
    for (const p of changed) {
      const id = pathId(p);
      for (const o of owners) if (o !== mine) o.paths.delete(id);
      mine.paths.add(id);
    }
  }
  writeOwners(after, owners, after.apiVersion ?? "v1");
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** Which part of the object this apply may touch: the main resource skips status, /status only status. */
  part: "all" | "main" | "status";
  subresource?: string;
}

/** Merge an applied configuration into the live object (undefined when creating). */
export function applyConfiguration(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): KubeObject {
  const config = restrictTo(clone(applied), opts.part);
  const owners = readOwners(live);
  const appliedPaths = leafPaths(config);
  const appliedIds = new Set(appliedPaths.map(pathId));
  const mine = ownerFor(owners, opts.manager, "Apply", opts.subresource);

  const conflicts: { manager: string; path: FieldPath }[] = [];
  if (live) {
    for (const o of owners) {
      if (o === mine) continue;
      for (const p of appliedPaths) {
        if (o.paths.has(pathId(p)) && !deepEqual(valueAt(live, p), valueAt(config, p))) {
          conflicts.push({ manager: o.manager, path: p });
        }
      }
    }
  }
  if (conflicts.length > 0 && !opts.force) throw conflictError(conflicts, live?.apiVersion ?? "v1");
  for (const c of conflicts) for (const o of owners) if (o !== mine) o.paths.delete(pathId(c.path));

  const result: KubeObject = live ? clone(live) : {};
  for (const id of mine.paths) {
    if (appliedIds.has(id)) continue;
    if (owners.some((o) => o !== mine && o.paths.has(id))) continue;
    removeAt(result, parsePathId(id));
  }
  mergeApplied(result, config);
  mine.paths = appliedIds;
  mine.time = undefined;
  result.apiVersion = applied.apiVersion;
  result.kind = applied.kind;
  writeOwners(result, owners, String(applied.apiVersion));
  return result;
}

function restrictTo(config: KubeObject, part: ApplyOptions["part"]): KubeObject {
  if (part === "main") delete config.status;
  if (part === "status") {
    const { apiVersion, kind, metadata, status } = config;
    return { apiVersion, kind, metadata: { name: metadata?.name, namespace: metadata?.namespace }, status };
  }
  return config;
}

/** Maps merge key by key, keyed lists item by item, everything else is replaced. */
function mergeApplied(target: Record<string, unknown>, config: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(config)) {
    const current = target[key];
    if (isObject(value) && isObject(current)) {
      mergeApplied(current, value);
    } else if (Array.isArray(value) && Array.isArray(current) && listKeyOf(key, [...current, ...value])) {
      const listKey = listKeyOf(key, [...current, ...value]) as string;
      for (const item of value as Record<string, unknown>[]) {
        const existing = current.find((c) => isObject(c) && deepEqual(c[listKey], item[listKey]));
        if (isObject(existing)) mergeApplied(existing, item);
        else current.push(clone(item));
      }
    } else {
      target[key] = clone(value);
    }
  }
}

function conflictError(conflicts: { manager: string; path: FieldPath }[], apiVersion: string): KubeError {
  const causes = conflicts.map((c) => ({
    type: "FieldManagerConflict",
    message: `conflict with "${c.manager}" using ${apiVersion}`,
    field: describePath(c.path),
  }));
  const lines = causes.map((c) => `${c.message}: ${c.field}`);
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${lines[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  return new KubeError(409, "Conflict", message, { causes });
}
