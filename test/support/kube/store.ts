import { type DeleteOptions, deleteObject } from "./deletion.js";
import { badRequest } from "./errors.js";
import { type EvictOptions, evictPod } from "./eviction.js";
import { clone } from "./json.js";
import { checkListVersion } from "./list-versions.js";
import { asVersion, type Entry, type ObjectStore } from "./object-store.js";
import { storageKey } from "./registry.js";
import { parseFieldSelector, parseLabelSelector } from "./selectors.js";
import type { KubeObject, ResourceType } from "./types.js";
import { deliver, type WatchEvent } from "./watch-hub.js";
import { createObject, type PatchType, patchObject, replaceObject, type WriteOptions } from "./writes.js";

/**
 * The store as tests and in-process controllers use it: the same writes, validation and watch
 * events as the HTTP API, without HTTP. Objects going in and out are copies.
 */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

export interface ObjectRef extends KindRef {
  namespace?: string;
  name: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Checked as kube-apiserver checks it (list-versions.ts); the answer is the current state. */
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  entries: Entry[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this resourceVersion; unset or "0" starts with ADDED events for what exists. */
  resourceVersion?: string;
}

const IN_PROCESS_MANAGER = "in-process";

export function listEntries(objects: ObjectStore, type: ResourceType, opts: ListOptions): ListResult {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector, type);
  let after: string | undefined;
  let continueRv: string | undefined;
  if (opts.continue) {
    try {
      const token = JSON.parse(Buffer.from(opts.continue, "base64url").toString()) as {
        k: string;
        rv: string;
      };
      after = token.k;
      continueRv = String(token.rv);
    } catch {
      throw badRequest("continue key is not valid: illegal base64 data");
    }
  }
  checkListVersion(objects.hub, objects.resourceVersion, {
    resourceVersion: opts.resourceVersion,
    resourceVersionMatch: opts.resourceVersionMatch,
    continueRv,
  });
  const all = objects.entries(type, opts.namespace).filter((e) => labels(e.object) && fields(e.object));
  const start = after === undefined ? 0 : all.findIndex((e) => entryKey(e) > after);
  const from = start < 0 ? all.length : start;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
  const entries = all.slice(from, from + limit);
  const rv = String(objects.resourceVersion);
  const remaining = all.length - from - entries.length;
  const last = entries[entries.length - 1];
  if (remaining > 0 && last) {
    const token = Buffer.from(JSON.stringify({ k: entryKey(last), rv })).toString("base64url");
    return { entries, resourceVersion: rv, continue: token, remainingItemCount: remaining };
  }
  return { entries, resourceVersion: rv };
}

const entryKey = (e: Entry): string =>
  `${e.object.metadata?.namespace ?? ""}/${e.object.metadata?.name ?? ""}`;

/** Start a watch: initial or replayed events first, then live ones, with no gap in between. */
export function startWatch(
  objects: ObjectStore,
  type: ResourceType,
  opts: WatchOptions,
  send: (event: WatchEvent) => void,
  close: () => void,
): () => void {
  const watcher = {
    storage: storageKey(type),
    namespace: type.namespaced ? opts.namespace : undefined,
    labels: parseLabelSelector(opts.labelSelector),
    fields: parseFieldSelector(opts.fieldSelector, type),
    send,
    close,
  };
  const rv = opts.resourceVersion;
  if (rv === undefined || rv === "" || rv === "0") {
    for (const e of objects.entries(type, watcher.namespace)) {
      if (watcher.labels(e.object) && watcher.fields(e.object)) send({ type: "ADDED", object: e.object });
    }
  } else {
    const n = Number(rv);
    if (!Number.isInteger(n)) throw badRequest(`invalid resource version: ${rv}`);
    for (const event of objects.hub.replaySince(n, watcher.storage, objects.resourceVersion))
      deliver(watcher, event);
  }
  return objects.hub.add(watcher);
}

export class Store {
  constructor(readonly objects: ObjectStore) {}

  /** The current (latest) resourceVersion of the whole store. */
  get resourceVersion(): string {
    return String(this.objects.resourceVersion);
  }

  typeOf(ref: KindRef): ResourceType {
    return this.objects.registry.require(ref.apiVersion, ref.kind);
  }

  get(ref: ObjectRef): KubeObject {
    const type = this.typeOf(ref);
    return clone(asVersion(this.objects.require(type, ref.namespace, ref.name).object, type));
  }

  tryGet(ref: ObjectRef): KubeObject | undefined {
    const type = this.typeOf(ref);
    const entry = this.objects.find(type, ref.namespace, ref.name);
    return entry ? clone(asVersion(entry.object, type)) : undefined;
  }

  list(ref: KindRef, opts: ListOptions = {}): KubeObject[] {
    const type = this.typeOf(ref);
    return listEntries(this.objects, type, opts).entries.map((e) => clone(asVersion(e.object, type)));
  }

  create(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const type = this.typeOf(refOf(obj));
    return clone(createObject(this.objects, type, obj.metadata?.namespace, obj, withManager(opts)));
  }

  /** PUT semantics: 409 when metadata.resourceVersion is set and stale. */
  update(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const ref = refOf(obj);
    const type = this.typeOf(ref);
    return clone(replaceObject(this.objects, type, ref.namespace, ref.name, obj, withManager(opts)));
  }

  /** PUT to the status subresource: only `status` changes. */
  updateStatus(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    return this.update(obj, { ...opts, subresource: "status" });
  }

  patch(ref: ObjectRef, patch: unknown, patchType: PatchType = "merge", opts: WriteOptions = {}): KubeObject {
    const type = this.typeOf(ref);
    return clone(
      patchObject(this.objects, type, ref.namespace, ref.name, patch, patchType, withManager(opts)).object,
    );
  }

  /** Server-side apply of a full or partial configuration, as `fieldManager`. */
  apply(obj: KubeObject, opts: WriteOptions & { fieldManager: string }): KubeObject {
    return this.patch(refOf(obj), obj, "apply", opts);
  }

  delete(ref: ObjectRef, opts: DeleteOptions = {}): { object: KubeObject; gone: boolean } {
    const type = this.typeOf(ref);
    const result = deleteObject(this.objects, type, ref.namespace, ref.name, opts);
    return { object: clone(result.object), gone: result.gone };
  }

  /** The pods/eviction subresource (policy/v1): 429 when a PodDisruptionBudget forbids it. */
  evict(ref: { namespace: string; name: string }, opts: EvictOptions = {}): KubeObject {
    return clone(evictPod(this.objects, ref.namespace, ref.name, opts));
  }

  /** Events as the HTTP watch sends them (copies); returns a function that stops the watch. */
  watch(
    ref: KindRef,
    opts: WatchOptions,
    onEvent: (event: { type: string; object: KubeObject }) => void,
  ): () => void {
    const type = this.typeOf(ref);
    return startWatch(
      this.objects,
      type,
      opts,
      (e) => onEvent({ type: e.type, object: clone(asVersion(e.object, type)) }),
      () => undefined,
    );
  }
}

function refOf(obj: KubeObject): ObjectRef {
  if (!obj.apiVersion || !obj.kind) throw badRequest("Object 'Kind' is missing or apiVersion is not set");
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name ?? "",
  };
}

const withManager = (opts: WriteOptions): WriteOptions => ({
  ...opts,
  fieldManager: opts.fieldManager ?? IN_PROCESS_MANAGER,
});
