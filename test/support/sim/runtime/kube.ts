import type { Store } from "../../kube/store.js";
import type { KubeObject, OwnerReference } from "../../kube/types.js";

/**
 * Small helpers over the test API server's in-process store, shared by every simulated
 * controller: tolerant reads, status writes, conditions, owner references and Events.
 */
export type { KubeObject, Store };

export interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => codeOf(error) === 404;
export const isConflict = (error: unknown): boolean => codeOf(error) === 409;

/** The object, or undefined when it (or its whole resource type) does not exist. */
export function tryGet(store: Store, ref: Ref): KubeObject | undefined {
  try {
    return store.tryGet(ref);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Objects of a kind; empty when the kind is not served (yet). */
export function tryList(
  store: Store,
  apiVersion: string,
  kind: string,
  opts: { namespace?: string; labelSelector?: string } = {},
): KubeObject[] {
  try {
    return store.list({ apiVersion, kind }, opts);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** Deletes and reports whether anything was there. */
export function tryDelete(
  store: Store,
  ref: Ref,
  propagationPolicy: "Background" | "Foreground" | "Orphan" = "Background",
): boolean {
  try {
    store.delete(ref, { propagationPolicy });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export function refOf(obj: KubeObject): Ref {
  return {
    apiVersion: obj.apiVersion ?? "",
    kind: obj.kind ?? "",
    name: obj.metadata?.name ?? "",
    namespace: obj.metadata?.namespace,
  };
}

export function keyOf(obj: { metadata?: { name?: string; namespace?: string } }): string {
  const meta = obj.metadata ?? {};
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ""}` : (meta.name ?? "");
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Merge-patches `status` through the status subresource, as controllers do. */
export function patchStatus(
  store: Store,
  obj: KubeObject | Ref,
  status: Record<string, unknown>,
  manager: string,
): void {
  const ref = "metadata" in obj ? refOf(obj as KubeObject) : (obj as Ref);
  store.patch(ref, { status }, "merge", { subresource: "status", fieldManager: manager });
}

export function isDeleting(obj: KubeObject | undefined): boolean {
  return Boolean(obj?.metadata?.deletionTimestamp);
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return (obj.metadata?.finalizers ?? []).includes(finalizer);
}

export function addFinalizer(store: Store, obj: KubeObject, finalizer: string, manager: string): void {
  if (hasFinalizer(obj, finalizer)) return;
  store.patch(
    refOf(obj),
    { metadata: { finalizers: [...(obj.metadata?.finalizers ?? []), finalizer] } },
    "merge",
    {
      fieldManager: manager,
    },
  );
}

export function removeFinalizer(store: Store, obj: KubeObject, finalizer: string, manager: string): void {
  const live = tryGet(store, refOf(obj));
  if (!live || !hasFinalizer(live, finalizer)) return;
  const finalizers = (live.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  store.patch(
    refOf(live),
    { metadata: { finalizers, resourceVersion: live.metadata?.resourceVersion } },
    "merge",
    { fieldManager: manager },
  );
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export function nowTimestamp(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

/** Sets one condition, keeping lastTransitionTime when the status did not change. */
export function withCondition(conditions: unknown, next: Condition): Condition[] {
  const list = Array.isArray(conditions) ? (conditions as Condition[]) : [];
  const old = list.find((c) => c.type === next.type);
  const merged: Condition = {
    ...next,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : nowTimestamp(),
  };
  return [...list.filter((c) => c.type !== next.type), merged];
}

export function conditionOf(obj: KubeObject | undefined, type: string): Condition | undefined {
  const status = obj?.status as { conditions?: Condition[] } | undefined;
  return (status?.conditions ?? []).find((c) => c.type === type);
}

export function isConditionTrue(obj: KubeObject | undefined, type: string): boolean {
  return conditionOf(obj, type)?.status === "True";
}

export function ownerReference(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller,
    blockOwnerDeletion: true,
  };
}

export function labelsOf(obj: KubeObject | undefined): Record<string, string> {
  return obj?.metadata?.labels ?? {};
}

/**
 * Records a core/v1 Event about `involved`, like the controllers' event recorders do (repeats of
 * the same reason and message bump `count` instead of adding a new Event).
 */
export function recordEvent(
  store: Store,
  involved: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  component: string,
): void {
  const meta = involved.metadata ?? {};
  const namespace = meta.namespace ?? "default";
  const existing = tryList(store, "v1", "Event", { namespace }).find(
    (e) =>
      (e.involvedObject as { uid?: string } | undefined)?.uid === meta.uid &&
      e.reason === reason &&
      e.message === message,
  );
  const now = nowTimestamp();
  if (existing) {
    store.patch(
      refOf(existing),
      { count: ((existing.count as number) ?? 1) + 1, lastTimestamp: now },
      "merge",
      {
        fieldManager: component,
      },
    );
    return;
  }
  store.create(
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: `${meta.name ?? "object"}.`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component },
      reportingComponent: component,
    },
    { fieldManager: component },
  );
}

/** Subscribes to a kind; the handler gets every event (watch from now, plus existing objects). */
export function watchKind(
  store: Store,
  apiVersion: string,
  kind: string,
  onEvent: (type: string, obj: KubeObject) => void,
): () => void {
  return store.watch({ apiVersion, kind }, {}, (e) => onEvent(e.type, e.object));
}
