import { typesFromCrd } from "./crd.js";
import { KubeError } from "./errors.js";
import { clone, nowTimestamp } from "./json.js";
import type { ObjectStore } from "./object-store.js";
import { storageKey } from "./registry.js";
import { isObject, type KubeObject, type ResourceType } from "./types.js";

/**
 * Deletion as clients observe it: an object with finalizers gets a deletionTimestamp and stays
 * until the last finalizer is removed; owned objects follow their owner (Background, Foreground,
 * Orphan); a namespace stays Terminating until its content is gone; a CRD takes its custom
 * resources with it and stops serving them.
 */
export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  dryRun?: boolean;
  /** Precondition: delete only this uid / resourceVersion (409 otherwise). */
  uid?: string;
  resourceVersion?: string;
  /** Seconds a pod gets to stop (graceful deletion; 0 removes it at once). */
  gracePeriodSeconds?: number;
}

const FOREGROUND = "foregroundDeletion";
const ORPHAN = "orphan";
const CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io";

const isNamespace = (t: ResourceType) => t.group === "" && t.plural === "namespaces";
const isCrd = (t: ResourceType) =>
  t.group === "apiextensions.k8s.io" && t.plural === "customresourcedefinitions";

/** Returns the object and whether it is gone (true) or waiting on finalizers (false). */
export function deleteObject(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions = {},
): { object: KubeObject; gone: boolean } {
  const existing = store.require(type, namespace, name).object;
  const meta = existing.metadata ?? {};
  if (
    (opts.uid && opts.uid !== meta.uid) ||
    (opts.resourceVersion && opts.resourceVersion !== meta.resourceVersion)
  ) {
    throw new KubeError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${type.plural} "${name}": the precondition of the delete failed`,
      {
        name,
        group: type.group,
        kind: type.plural,
      },
    );
  }
  if (meta.deletionTimestamp) return { object: existing, gone: false };
  const next = clone(existing);
  const finalizers = [...(next.metadata?.finalizers ?? [])];
  const policy = opts.propagationPolicy ?? "Background";
  if (policy === "Foreground" && dependentsOf(store, meta.uid).length > 0) finalizers.push(FOREGROUND);
  if (policy === "Orphan") finalizers.push(ORPHAN);
  if (isCrd(type) && typesFromCrd(existing).some((t) => store.entries(t).length > 0))
    finalizers.push(CRD_CLEANUP);
  if (isNamespace(type)) {
    next.status = { ...(isObject(next.status) ? next.status : {}), phase: "Terminating" };
  }
  const waiting = finalizers.length > 0 || (isNamespace(type) && namespaceHasContent(store, name));
  if (opts.dryRun) return { object: next, gone: !waiting };
  if (!waiting) return { object: finishDeletion(store, type, next, existing), gone: true };
  next.metadata = {
    ...next.metadata,
    finalizers,
    deletionTimestamp: nowTimestamp(),
    deletionGracePeriodSeconds: 0,
  };
  if (finalizers.length === 0) delete next.metadata.finalizers;
  const written = store.commit(type, "MODIFIED", next, existing);
  reconcileCleanup(store);
  return { object: written, gone: false };
}

/** Remove the object for good, then let its dependents and waiting owners move on. */
export function finishDeletion(
  store: ObjectStore,
  type: ResourceType,
  object: KubeObject,
  old: KubeObject,
): KubeObject {
  const gone = store.commit(type, "DELETED", object, old);
  if (isCrd(type)) {
    for (const t of typesFromCrd(object)) {
      store.registry.unregister(t.group, t.plural);
      store.dropStorage(t);
    }
  }
  const uid = object.metadata?.uid;
  for (const dep of dependentsOf(store, uid)) {
    if (dep.object.metadata?.deletionTimestamp) continue;
    const depMeta = dep.object.metadata ?? {};
    try {
      deleteObject(store, dep.type, depMeta.namespace, depMeta.name ?? "", {
        propagationPolicy: "Background",
      });
    } catch {
      // Already gone through another path: nothing left to do.
    }
  }
  reconcileCleanup(store);
  return gone;
}

function dependentsOf(
  store: ObjectStore,
  uid: string | undefined,
): { type: ResourceType; object: KubeObject }[] {
  return store.dependentsOf(uid);
}

function storageTypes(store: ObjectStore): Map<string, ResourceType> {
  const map = new Map<string, ResourceType>();
  for (const t of store.registry.all()) if (!map.has(storageKey(t))) map.set(storageKey(t), t);
  return map;
}

function namespaceHasContent(store: ObjectStore, namespace: string): boolean {
  for (const t of new Set(storageTypes(store).values())) {
    if (t.namespaced && store.entries(t, namespace).length > 0) return true;
  }
  return false;
}

let reconciling = false;

/**
 * Drive the server-side finalizers (namespace content, CRD instances, foreground and orphan
 * deletion) until nothing moves. Runs after every deletion step; cheap when nothing is pending.
 */
export function reconcileCleanup(store: ObjectStore): void {
  if (reconciling) return;
  reconciling = true;
  try {
    let progress = true;
    while (progress) {
      progress = false;
      for (const { type, namespace, name } of store.pendingDeletions()) {
        // Re-read: an earlier step in this pass may have written or removed the object.
        const current = store.find(type, namespace, name)?.object;
        if (current?.metadata?.deletionTimestamp && stepPending(store, type, current)) progress = true;
      }
    }
  } finally {
    reconciling = false;
  }
}

function stepPending(store: ObjectStore, type: ResourceType, object: KubeObject): boolean {
  const meta = object.metadata ?? {};
  const finalizers = meta.finalizers ?? [];
  let remaining = finalizers;
  if (isNamespace(type)) {
    for (const t of new Set(storageTypes(store).values())) {
      if (!t.namespaced) continue;
      for (const e of store.entries(t, meta.name)) {
        if (!e.object.metadata?.deletionTimestamp)
          deleteObject(store, t, meta.name, e.object.metadata?.name ?? "");
      }
    }
    if (namespaceHasContent(store, meta.name ?? "")) return false;
  }
  if (finalizers.includes(CRD_CLEANUP)) {
    const types = typesFromCrd(object);
    for (const t of types)
      for (const e of store.entries(t)) {
        if (!e.object.metadata?.deletionTimestamp)
          deleteObject(store, t, e.object.metadata?.namespace, e.object.metadata?.name ?? "");
      }
    if (types.every((t) => store.entries(t).length === 0))
      remaining = remaining.filter((f) => f !== CRD_CLEANUP);
  }
  if (finalizers.includes(FOREGROUND)) {
    for (const dep of dependentsOf(store, meta.uid)) {
      const m = dep.object.metadata ?? {};
      if (!m.deletionTimestamp)
        deleteObject(store, dep.type, m.namespace, m.name ?? "", { propagationPolicy: "Foreground" });
    }
    if (dependentsOf(store, meta.uid).length === 0) remaining = remaining.filter((f) => f !== FOREGROUND);
  }
  if (finalizers.includes(ORPHAN)) {
    for (const dep of dependentsOf(store, meta.uid)) {
      const next = clone(dep.object);
      next.metadata!.ownerReferences = (next.metadata?.ownerReferences ?? []).filter(
        (r) => r.uid !== meta.uid,
      );
      if (next.metadata!.ownerReferences.length === 0) delete next.metadata!.ownerReferences;
      store.commit(dep.type, "MODIFIED", next, dep.object);
    }
    remaining = remaining.filter((f) => f !== ORPHAN);
  }
  if (remaining.length === 0) {
    const next = clone(object);
    delete next.metadata!.finalizers;
    finishDeletion(store, type, next, object);
    return true;
  }
  if (remaining.length !== finalizers.length) {
    const next = clone(object);
    next.metadata!.finalizers = remaining;
    store.commit(type, "MODIFIED", next, object);
    return true;
  }
  return false;
}

/** Serve what a CRD declares (re-registering on update keeps the stored objects). */
export function syncCrdTypes(store: ObjectStore, crd: KubeObject): void {
  const types = typesFromCrd(crd);
  for (const t of types) store.registry.unregister(t.group, t.plural);
  for (const t of types) store.registry.register(t);
}
