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
  const grace = podGraceSeconds(store, type, existing, opts);
  if (meta.deletionTimestamp) return shortenGrace(store, type, existing, grace, opts);
  const next = clone(existing);
  const finalizers = [...(next.metadata?.finalizers ?? [])];
  const policy = opts.propagationPolicy ?? "Background";
  if (policy === "Foreground" && dependentsOf(store, meta.uid).length > 0) finalizers.push(FOREGROUND);
  if (policy === "Orphan") finalizers.push(ORPHAN);
  if (policy !== "Background") store.cleanup.onGarbage?.();
  if (isCrd(type) && typesFromCrd(existing).some((t) => store.entries(t).length > 0))
    finalizers.push(CRD_CLEANUP);
  if (isNamespace(type)) {
    next.status = { ...(isObject(next.status) ? next.status : {}), phase: "Terminating" };
  }
  const waiting =
    finalizers.length > 0 || grace > 0 || (isNamespace(type) && namespaceHasContent(store, name));
  if (opts.dryRun) return { object: next, gone: !waiting };
  if (!waiting) return { object: finishDeletion(store, type, next, existing), gone: true };
  next.metadata = {
    ...next.metadata,
    finalizers,
    // A graceful deletion's timestamp is when the grace period ends (kube-apiserver
    // staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete).
    deletionTimestamp: nowTimestamp(new Date(Date.now() + grace * 1000)),
    deletionGracePeriodSeconds: grace,
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
  if (store.cleanup.garbageCollector === "external") {
    if (uid && dependentsOf(store, uid).length > 0) store.orphanedOwners.add(uid);
    // An owner gone, or a dependent gone that a foreground deletion waits for: the collector has work.
    if (store.orphanedOwners.size > 0 || (object.metadata?.ownerReferences ?? []).length > 0)
      store.cleanup.onGarbage?.();
    reconcileCleanup(store);
    return gone;
  }
  deleteDependents(store, uid);
  reconcileCleanup(store);
  return gone;
}

/** Background deletion of what an owner that is gone leaves behind. */
function deleteDependents(store: ObjectStore, uid: string | undefined): void {
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
}

/**
 * Graceful pod deletion (kube-apiserver pkg/registry/core/pod/strategy.go CheckGracefulDelete):
 * a pod bound to a node and not finished gets the request's gracePeriodSeconds, else its
 * spec.terminationGracePeriodSeconds (default 30); unbound or finished pods go at once. 0
 * everywhere unless the server runs with a kubelet (cleanup.gracefulPodDeletion).
 */
function podGraceSeconds(
  store: ObjectStore,
  type: ResourceType,
  pod: KubeObject,
  opts: DeleteOptions,
): number {
  if (!store.cleanup.gracefulPodDeletion || type.group !== "" || type.plural !== "pods") return 0;
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  return Math.max(0, opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
}

/** Deleting a pod again with a shorter grace period shortens it; 0 removes it (force delete). */
function shortenGrace(
  store: ObjectStore,
  type: ResourceType,
  existing: KubeObject,
  grace: number,
  opts: DeleteOptions,
): { object: KubeObject; gone: boolean } {
  const current = existing.metadata?.deletionGracePeriodSeconds ?? 0;
  if (opts.gracePeriodSeconds === undefined || grace >= current || opts.dryRun)
    return { object: existing, gone: false };
  const next = clone(existing);
  next.metadata = {
    ...next.metadata,
    deletionTimestamp: nowTimestamp(new Date(Date.now() + grace * 1000)),
    deletionGracePeriodSeconds: grace,
  };
  if (grace === 0 && (next.metadata.finalizers ?? []).length === 0)
    return { object: finishDeletion(store, type, next, existing), gone: true };
  const written = store.commit(type, "MODIFIED", next, existing);
  reconcileCleanup(store);
  return { object: written, gone: false };
}

/**
 * The garbage collector's work when it runs outside the server (cleanup.garbageCollector
 * "external"): dependents of deleted owners are deleted (Background), foreground deletions wait
 * for their dependents, orphan deletions strip owner references.
 */
export function runGarbageCollection(store: ObjectStore): void {
  for (const uid of [...store.orphanedOwners]) {
    store.orphanedOwners.delete(uid);
    deleteDependents(store, uid);
  }
  reconcileCleanup(store, true);
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
export function reconcileCleanup(
  store: ObjectStore,
  collector = store.cleanup.garbageCollector === "inline",
): void {
  if (reconciling) return;
  reconciling = true;
  try {
    let progress = true;
    while (progress) {
      progress = false;
      for (const { type, namespace, name } of store.pendingDeletions()) {
        // Re-read: an earlier step in this pass may have written or removed the object.
        const current = store.find(type, namespace, name)?.object;
        if (current?.metadata?.deletionTimestamp && stepPending(store, type, current, collector))
          progress = true;
      }
    }
  } finally {
    reconciling = false;
  }
}

function stepPending(
  store: ObjectStore,
  type: ResourceType,
  object: KubeObject,
  collector: boolean,
): boolean {
  const meta = object.metadata ?? {};
  // A pod in its grace period is the kubelet's: it deletes the pod once the containers stopped.
  if ((meta.deletionGracePeriodSeconds ?? 0) > 0) return false;
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
  if (collector && finalizers.includes(FOREGROUND)) {
    for (const dep of dependentsOf(store, meta.uid)) {
      const m = dep.object.metadata ?? {};
      if (!m.deletionTimestamp)
        deleteObject(store, dep.type, m.namespace, m.name ?? "", { propagationPolicy: "Foreground" });
    }
    if (dependentsOf(store, meta.uid).length === 0) remaining = remaining.filter((f) => f !== FOREGROUND);
  }
  if (collector && finalizers.includes(ORPHAN)) {
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
