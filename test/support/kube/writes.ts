import { parse as parseYaml } from "yaml";
import { prepareCustomObject } from "./crd.js";
import {
  applyTypeDefaults,
  generateName,
  hasGeneration,
  prepareCreate,
  sortKeys,
  specChanged,
  validateName,
} from "./defaults.js";
import { finishDeletion, syncCrdTypes } from "./deletion.js";
import { alreadyExists, badRequest, conflict, invalid, KubeError } from "./errors.js";
import { clone } from "./json.js";
import { applyConfiguration, trackUpdate } from "./managed-fields.js";
import type { ObjectStore } from "./object-store.js";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch.js";
import { apiVersionOf, isObject, type KubeObject, type ResourceType } from "./types.js";

/**
 * Create, replace and patch with the semantics clients rely on: 409 AlreadyExists, 409 Conflict on
 * a stale resourceVersion, status kept apart when a status subresource exists, generation bumped
 * on spec changes, no-op writes that do not bump resourceVersion, and namespace lifecycle checks.
 */
export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  subresource?: "status";
  force?: boolean;
  /** Apply-created objects carry the Apply entry computed by server-side apply. */
  keepManagedFields?: boolean;
  /** `Strict` (what kubectl sends by default) rejects fields a custom resource's schema lacks. */
  fieldValidation?: string;
}

export type PatchType = "merge" | "json" | "strategic" | "apply";

const isCrd = (type: ResourceType): boolean =>
  type.group === "apiextensions.k8s.io" && type.plural === "customresourcedefinitions";

function checkNamespace(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): void {
  if (!type.namespaced) return;
  if (!namespace) throw badRequest("the namespace of the object is required for a namespaced resource");
  const nsType = store.registry.find("", "v1", "namespaces");
  if (!nsType) return;
  const ns = store.find(nsType, undefined, namespace);
  if (!ns)
    throw new KubeError(404, "NotFound", `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: "namespaces",
    });
  if (ns.object.metadata?.deletionTimestamp) {
    throw new KubeError(
      403,
      "Forbidden",
      `${type.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      { name, group: type.group, kind: type.plural },
    );
  }
}

/**
 * A custom resource cannot be created while its CRD is being deleted (apiextensions-apiserver
 * pkg/apiserver/customresource_handler.go: 405 "create not allowed while custom resource
 * definition is terminating").
 */
function checkCrdNotTerminating(store: ObjectStore, type: ResourceType): void {
  if (!type.group) return;
  const crdType = store.registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  const crd = crdType ? store.find(crdType, undefined, `${type.plural}.${type.group}`) : undefined;
  if (crd?.object.metadata?.deletionTimestamp) {
    throw new KubeError(
      405,
      "MethodNotAllowed",
      "create not allowed while custom resource definition is terminating",
      { group: type.group, kind: type.plural },
    );
  }
}

/**
 * Finalizers cannot be added to an object being deleted (apimachinery
 * pkg/api/validation/objectmeta.go ValidateObjectMetaUpdate): 422 naming the new ones.
 */
function checkNoNewFinalizers(
  type: ResourceType,
  old: KubeObject["metadata"],
  next: KubeObject["metadata"],
): void {
  if (!old?.deletionTimestamp) return;
  const added = (next?.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
  if (added.length === 0) return;
  throw invalid(type.kind, type.group, old.name ?? "", [
    {
      type: "FieldValueForbidden",
      field: "metadata.finalizers",
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`,
    },
  ]);
}

function checkBody(type: ResourceType, body: unknown, namespace: string | undefined): KubeObject {
  if (!isObject(body)) throw badRequest("the body of the request was in an unknown format");
  const obj = clone(body) as KubeObject;
  const expected = apiVersionOf(type.group, type.version);
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
  const meta = obj.metadata;
  if (type.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    meta.namespace = namespace ?? meta.namespace;
  } else delete meta.namespace;
  obj.apiVersion = expected;
  obj.kind = type.kind;
  return obj;
}

export function createObject(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  body: unknown,
  opts: WriteOptions = {},
): KubeObject {
  const obj = checkBody(type, body, namespace);
  const meta = obj.metadata!;
  if (!meta.name) {
    if (!meta.generateName) {
      throw invalid(type.kind, type.group, "", [
        { field: "metadata.name", message: "Required value: name or generateName is required" },
      ]);
    }
    meta.name = generateName(meta.generateName);
  }
  validateName(type, meta.name);
  checkCrdNotTerminating(store, type);
  checkNamespace(store, type, meta.namespace, meta.name);
  if (store.find(type, meta.namespace, meta.name)) throw alreadyExists(type.plural, type.group, meta.name);
  prepareCreate(type, obj);
  prepareCustomObject(type, obj, opts.fieldValidation);
  if (!opts.keepManagedFields) {
    delete meta.managedFields;
    trackUpdate(undefined, obj, opts.fieldManager ?? "unknown");
  }
  if (opts.dryRun) return obj;
  const created = store.commit(type, "ADDED", obj);
  if (isCrd(type)) syncCrdTypes(store, created);
  return created;
}

/** Shared tail of replace/patch/apply: merge server-owned fields, then write, delete or skip. */
function commitUpdate(
  store: ObjectStore,
  type: ResourceType,
  existing: KubeObject,
  proposed: KubeObject,
  opts: WriteOptions,
  track: boolean,
): KubeObject {
  const old = existing.metadata ?? {};
  let next: KubeObject;
  if (opts.subresource === "status") {
    next = { ...clone(existing), status: proposed.status };
    if (proposed.status === undefined) delete next.status;
    if (!track) next.metadata = { ...next.metadata, managedFields: proposed.metadata?.managedFields };
  } else {
    next = proposed;
    if (type.statusSubresource) {
      if (existing.status === undefined) delete next.status;
      else next.status = clone(existing.status);
    }
  }
  next.metadata ??= {};
  const meta = next.metadata;
  meta.name = old.name;
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (type.namespaced) meta.namespace = old.namespace;
  checkNoNewFinalizers(type, old, meta);
  if (old.deletionTimestamp) {
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  if (hasGeneration(type)) meta.generation = (old.generation ?? 1) + (specChanged(existing, next) ? 1 : 0);
  applyTypeDefaults(type, next);
  prepareCustomObject(type, next, opts.fieldValidation);
  if (track) {
    if (next.metadata) next.metadata.managedFields = old.managedFields;
    trackUpdate(existing, next, opts.fieldManager ?? "unknown", opts.subresource);
  }
  meta.resourceVersion = old.resourceVersion;
  if (sameContent(existing, next)) return existing;
  if (opts.dryRun) return next;
  // The last finalizer gone ends the deletion — unless a pod is still in its grace period (the
  // kubelet ends that one).
  if (
    meta.deletionTimestamp &&
    (meta.finalizers ?? []).length === 0 &&
    !(meta.deletionGracePeriodSeconds ?? 0)
  )
    return finishDeletion(store, type, next, existing);
  const written = store.commit(type, "MODIFIED", next, existing);
  if (isCrd(type)) syncCrdTypes(store, written);
  return written;
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const meta = { ...(o.metadata ?? {}) };
    meta.managedFields = (meta.managedFields ?? []).map((m) => ({ ...m, time: "" }));
    return JSON.stringify(sortKeys({ ...o, metadata: meta }));
  };
  return strip(a) === strip(b);
}

function checkPrecondition(
  type: ResourceType,
  existing: KubeObject,
  proposed: KubeObject,
  name: string,
): void {
  const rv = proposed.metadata?.resourceVersion;
  if (rv !== undefined && rv !== "" && rv !== existing.metadata?.resourceVersion)
    throw conflict(type.plural, type.group, name);
}

export function replaceObject(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  body: unknown,
  opts: WriteOptions = {},
): KubeObject {
  const proposed = checkBody(type, body, namespace);
  if (proposed.metadata?.name !== name) {
    throw badRequest(
      `the name of the object (${proposed.metadata?.name ?? ""}) does not match the name on the URL (${name})`,
    );
  }
  const existing = store.require(type, namespace, name).object;
  if (type.custom && !proposed.metadata?.resourceVersion) {
    throw invalid(type.kind, type.group, name, [
      { field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" },
    ]);
  }
  checkPrecondition(type, existing, proposed, name);
  return commitUpdate(store, type, existing, proposed, opts, true);
}

export function parsePatchBody(raw: string, patchType: PatchType): unknown {
  try {
    return patchType === "apply" ? parseYaml(raw) : JSON.parse(raw);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}

export function patchObject(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  patchType: PatchType,
  opts: WriteOptions = {},
): { object: KubeObject; created: boolean } {
  const entry = store.find(type, namespace, name);
  if (patchType === "apply") return applyPatch(store, type, namespace, name, patch, entry?.object, opts);
  const existing = entry?.object ?? store.require(type, namespace, name).object;
  if (patchType === "strategic" && type.custom) {
    throw new KubeError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    );
  }
  const patched =
    patchType === "json"
      ? applyJsonPatch(existing, patch)
      : patchType === "merge"
        ? applyMergePatch(existing, patch)
        : applyStrategicMergePatch(existing, patch);
  const proposed = checkBody(type, patched, namespace);
  checkPrecondition(type, existing, proposed, name);
  return { object: commitUpdate(store, type, existing, proposed, opts, true), created: false };
}

function applyPatch(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  live: KubeObject | undefined,
  opts: WriteOptions,
): { object: KubeObject; created: boolean } {
  if (!opts.fieldManager) throw badRequest("PATCH requests with an apply patch require a fieldManager");
  const config = checkBody(type, patch, namespace);
  if (!isObject(patch) || !patch.apiVersion || !patch.kind) {
    throw badRequest("apply patches must include apiVersion and kind");
  }
  if (config.metadata?.name !== undefined && config.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  config.metadata!.name = name;
  const part = opts.subresource === "status" ? "status" : type.statusSubresource ? "main" : "all";
  const merged = applyConfiguration(live, config, {
    manager: opts.fieldManager,
    force: opts.force === true,
    part,
    subresource: opts.subresource,
  });
  if (!live) {
    if (opts.subresource === "status") store.require(type, namespace, name);
    return {
      object: createObject(store, type, namespace, merged, { ...opts, keepManagedFields: true }),
      created: true,
    };
  }
  checkPrecondition(type, live, config, name);
  return { object: commitUpdate(store, type, live, merged, opts, false), created: false };
}
