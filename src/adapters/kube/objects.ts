import { ExternalError } from "../../core/errors.js";
import type { KubeClientConfig } from "./client-config.js";
import { createKubeHttp, pause } from "./http.js";
import { createResourcePaths, query } from "./resource-paths.js";
import { streamWatch } from "./watch-stream.js";

/**
 * The shared cluster-access contract: plain-JSON Kubernetes objects over the API server's REST
 * interface. Requests are made here (node:http/https with the KubeConfig's TLS and auth, including
 * custom authenticators such as the EKS token) rather than through client-node's typed APIs, so
 * that objects stay exactly what the server sent (no Date conversion, no camel-casing of CRDs) and
 * watches can be aborted cleanly.
 */

export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [key: string]: unknown;
}

export interface KubeListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

export interface KubeWatchEvent<T> {
  type: string;
  object: T;
}

export interface KubeObjects {
  get<T = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined>;
  list<T = KubeObject>(apiVersion: string, kind: string, opts?: KubeListOptions): Promise<T[]>;
  /** Server-side apply, field manager "aiplat", force. */
  apply<T = KubeObject>(object: KubeObject): Promise<T>;
  mergePatch<T = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    patch: object,
  ): Promise<T>;
  /** true if it was there; propagationPolicy default Foreground. */
  delete(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    opts?: { propagationPolicy?: "Foreground" | "Background" | "Orphan" },
  ): Promise<boolean>;
  /**
   * Lists, then watches from the list's resourceVersion; calls onChange with the full current set
   * after every event (ADDED/MODIFIED/DELETED) and once after the initial list. Re-lists and
   * re-watches when the stream ends or answers 410 Gone. Resolves when `signal` aborts.
   */
  watch<T = KubeObject>(
    apiVersion: string,
    kind: string,
    opts: KubeListOptions,
    onChange: (objects: T[], event?: KubeWatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

export const FIELD_MANAGER = "aiplat";

export function createKubeObjects(config: KubeClientConfig): KubeObjects {
  const http = createKubeHttp(config);
  const { send, apiError } = http;
  const { collectionPath, objectPath } = createResourcePaths(http);

  async function listRaw<T>(apiVersion: string, kind: string, opts: KubeListOptions) {
    const path =
      (await collectionPath(apiVersion, kind, opts.namespace)) +
      query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    const result = await send("GET", path);
    if (result.status >= 400) throw apiError("GET", path, result);
    const list = JSON.parse(result.body) as { items?: T[]; metadata?: { resourceVersion?: string } };
    // Lists omit apiVersion/kind on items; put them back so objects are self-describing.
    const items = (list.items ?? []).map((item) => ({ apiVersion, kind, ...(item as object) }) as T);
    return { items, resourceVersion: list.metadata?.resourceVersion };
  }

  const objects: KubeObjects = {
    async get<T>(apiVersion: string, kind: string, name: string, namespace?: string) {
      const path = await objectPath(apiVersion, kind, name, namespace);
      const result = await send("GET", path);
      if (result.status === 404) return undefined;
      if (result.status >= 400) throw apiError("GET", path, result);
      return JSON.parse(result.body) as T;
    },

    async list<T>(apiVersion: string, kind: string, opts: KubeListOptions = {}) {
      return (await listRaw<T>(apiVersion, kind, opts)).items;
    },

    async apply<T>(object: KubeObject) {
      const name = object.metadata?.name;
      if (!name)
        throw new ExternalError(`Cannot apply a ${object.kind} without metadata.name.`, {
          code: "kube-apply",
        });
      const path =
        (await objectPath(object.apiVersion, object.kind, name, object.metadata.namespace)) +
        query({ fieldManager: FIELD_MANAGER, force: "true" });
      const result = await send("PATCH", path, JSON.stringify(object), "application/apply-patch+yaml");
      if (result.status >= 400) throw apiError("apply", `${object.kind} ${name}`, result);
      return JSON.parse(result.body) as T;
    },

    async mergePatch<T>(
      apiVersion: string,
      kind: string,
      name: string,
      namespace: string | undefined,
      patch: object,
    ) {
      const path =
        (await objectPath(apiVersion, kind, name, namespace)) + query({ fieldManager: FIELD_MANAGER });
      const result = await send("PATCH", path, JSON.stringify(patch), "application/merge-patch+json");
      if (result.status >= 400) throw apiError("PATCH", `${kind} ${name}`, result);
      return JSON.parse(result.body) as T;
    },

    async delete(apiVersion, kind, name, namespace, opts = {}) {
      const path = await objectPath(apiVersion, kind, name, namespace);
      const body = JSON.stringify({
        apiVersion: "v1",
        kind: "DeleteOptions",
        propagationPolicy: opts.propagationPolicy ?? "Foreground",
      });
      const result = await send("DELETE", path, body, "application/json");
      if (result.status === 404) return false;
      if (result.status >= 400) throw apiError("DELETE", `${kind} ${name}`, result);
      return true;
    },

    async watch<T>(
      apiVersion: string,
      kind: string,
      opts: KubeListOptions,
      onChange: (objects: T[], event?: KubeWatchEvent<T>) => void,
      signal: AbortSignal,
    ) {
      const current = new Map<string, T>();
      const keyOf = (o: T) => {
        const m = (o as KubeObject).metadata ?? {};
        return `${m.namespace ?? ""}/${m.name ?? ""}`;
      };
      const snapshot = () => [...current.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
      let failures = 0;
      while (!signal.aborted) {
        const listed = await listRaw<T>(apiVersion, kind, opts);
        current.clear();
        for (const item of listed.items) current.set(keyOf(item), item);
        onChange(snapshot());
        const path =
          (await collectionPath(apiVersion, kind, opts.namespace)) +
          query({
            watch: "1",
            resourceVersion: listed.resourceVersion,
            allowWatchBookmarks: "true",
            labelSelector: opts.labelSelector,
            fieldSelector: opts.fieldSelector,
          });
        const outcome = await streamWatch(http, path, signal, (event) => {
          if (event.type === "BOOKMARK") return;
          const object = { apiVersion, kind, ...(event.object as object) } as T;
          if (event.type === "DELETED") current.delete(keyOf(object));
          else current.set(keyOf(object), object);
          onChange(snapshot(), { type: event.type, object });
        });
        if (outcome === "aborted") return;
        if (outcome === "error") {
          failures += 1;
          // A broken connection is retried after a short pause; the re-list reports a dead server.
          await pause(Math.min(5000, 250 * 2 ** failures), signal);
        } else {
          failures = 0;
        }
      }
    },
  };

  return objects;
}
