import { notFound } from "./errors.js";
import { storageKey, type TypeRegistry } from "./registry.js";
import { apiVersionOf, type KubeObject, type ResourceType } from "./types.js";
import { type EventType, WatchHub } from "./watch-hub.js";

/**
 * The single source of truth: objects per resource, one global resourceVersion counter bumped by
 * every write, and the watch hub fed at each commit. Reads here return the stored objects
 * themselves (never mutate them); the public Store hands out copies.
 */
export interface Entry {
  object: KubeObject;
  /** JSON of `object`, built on first read so LIST of many objects is a string join. */
  json?: string;
}

/**
 * What the controllers of kube-controller-manager and the kubelet take over from the server when
 * a simulator runs them (deletion.ts): graceful pod deletion (the kubelet removes a pod once its
 * containers stopped) and garbage collection of dependents (asynchronous, by the garbage collector).
 */
export interface CleanupSettings {
  gracefulPodDeletion: boolean;
  /** "inline": dependents are deleted within the owner's deletion; "external": runGarbageCollection() does it. */
  garbageCollector: "inline" | "external";
  /** Called when the external garbage collector has work (an owner gone, a foreground/orphan deletion). */
  onGarbage?: () => void;
}

export class ObjectStore {
  readonly cleanup: CleanupSettings = { gracefulPodDeletion: false, garbageCollector: "inline" };
  /** uids of deleted owners whose dependents the external garbage collector has yet to visit. */
  readonly orphanedOwners = new Set<string>();
  private readonly buckets = new Map<string, Map<string, Entry>>();
  private rv = 1;
  readonly hub: WatchHub;
  /** Objects with a deletionTimestamp, so clean-up visits only those instead of every object. */
  private readonly terminating = new Map<string, { type: ResourceType; namespace?: string; name: string }>();
  /** owner uid → dependents (by ownerReferences), so owner deletion does not scan every object. */
  private readonly dependents = new Map<
    string,
    Map<string, { type: ResourceType; namespace?: string; name: string }>
  >();

  constructor(
    readonly registry: TypeRegistry,
    historySize: number,
  ) {
    this.hub = new WatchHub(historySize);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(type: ResourceType): Map<string, Entry> {
    const key = storageKey(type);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  find(type: ResourceType, namespace: string | undefined, name: string): Entry | undefined {
    return this.bucket(type).get(objectKey(type, namespace, name));
  }

  require(type: ResourceType, namespace: string | undefined, name: string): Entry {
    const entry = this.find(type, namespace, name);
    if (!entry) throw notFound(type.plural, type.group, name);
    return entry;
  }

  /** Entries in key order (namespace/name), like etcd keys, so `continue` tokens are stable. */
  entries(type: ResourceType, namespace?: string): Entry[] {
    const bucket = this.bucket(type);
    const keys = [...bucket.keys()].sort();
    const prefix = namespace && type.namespaced ? `${namespace}/` : "";
    const out: Entry[] = [];
    for (const key of keys) if (!prefix || key.startsWith(prefix)) out.push(bucket.get(key)!);
    return out;
  }

  /** Every stored object of every resource (for owner and namespace clean-up). */
  *allEntries(): Generator<{ storage: string; entry: Entry }> {
    for (const [storage, bucket] of this.buckets)
      for (const entry of bucket.values()) yield { storage, entry };
  }

  /** Current objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string | undefined): { type: ResourceType; object: KubeObject }[] {
    const out: { type: ResourceType; object: KubeObject }[] = [];
    if (!uid) return out;
    for (const ref of this.dependents.get(uid)?.values() ?? []) {
      const entry = this.find(ref.type, ref.namespace, ref.name);
      if (entry?.object.metadata?.ownerReferences?.some((r) => r.uid === uid))
        out.push({ type: ref.type, object: entry.object });
    }
    return out;
  }

  /** Objects waiting on finalizers (deletionTimestamp set), as of now. */
  pendingDeletions(): { type: ResourceType; namespace?: string; name: string }[] {
    return [...this.terminating.values()];
  }

  dropStorage(type: ResourceType): void {
    this.buckets.delete(storageKey(type));
    this.hub.closeStorage(storageKey(type));
    for (const [key, p] of this.terminating)
      if (storageKey(p.type) === storageKey(type)) this.terminating.delete(key);
  }

  /** Write (or remove, for DELETED) an object with a fresh resourceVersion and tell the watchers. */
  commit(type: ResourceType, eventType: EventType, object: KubeObject, old?: KubeObject): KubeObject {
    this.rv++;
    object.metadata ??= {};
    const meta = object.metadata;
    meta.resourceVersion = String(this.rv);
    object.apiVersion = apiVersionOf(type.group, type.version);
    object.kind = type.kind;
    const key = objectKey(type, meta.namespace, meta.name ?? "");
    if (eventType === "DELETED") this.bucket(type).delete(key);
    else this.bucket(type).set(key, { object });
    const pendingKey = `${storageKey(type)}|${key}`;
    const ref = { type, namespace: meta.namespace, name: meta.name ?? "" };
    for (const r of old?.metadata?.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(pendingKey);
    if (eventType !== "DELETED") {
      for (const r of meta.ownerReferences ?? []) {
        const set = this.dependents.get(r.uid) ?? new Map();
        set.set(pendingKey, ref);
        this.dependents.set(r.uid, set);
      }
    }
    if (eventType !== "DELETED" && meta.deletionTimestamp) {
      this.terminating.set(pendingKey, ref);
    } else this.terminating.delete(pendingKey);
    this.hub.publish({ type: eventType, storage: storageKey(type), rv: this.rv, object, old });
    return object;
  }
}

export function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ""}/${name}` : name;
}

/** The stored object as a given version serves it (a CRD's objects are shared across versions). */
export function asVersion(object: KubeObject, type: ResourceType): KubeObject {
  const apiVersion = apiVersionOf(type.group, type.version);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}
