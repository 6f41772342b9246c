import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";
import { ExternalError, isAiplatError } from "../../core/errors.js";

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

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

interface HttpResult {
  status: number;
  body: string;
  retryAfter?: string | undefined;
}

export function createKubeObjects(config: KubeConfig): KubeObjects {
  const server = config.getCurrentCluster()?.server ?? "(no server in kubeconfig)";
  const resources = new Map<string, ResourceInfo>();

  async function requestOptions(method: string, path: string, headers: Record<string, string>) {
    const url = new URL(path, server);
    const opts: RequestOptions & { headers: Record<string, string> } = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: { Accept: "application/json", ...headers },
    };
    try {
      await config.applyToHTTPSOptions(opts as never);
    } catch (error) {
      // Expired AWS credentials behind an EKS token are already a precise error (exit 4).
      if (isAiplatError(error)) throw error;
      throw new ExternalError(`Cannot prepare a request to ${server}: ${(error as Error).message}`, {
        code: "kube-auth",
        hint: "Check the kubeconfig or AWS credentials, then run `aiplat doctor`.",
        cause: error,
      });
    }
    return { url, opts };
  }

  /**
   * Every call here is idempotent (GET, server-side apply, merge patch, DELETE), so throttling
   * (429) and transient server errors are retried a few times, honouring Retry-After.
   */
  async function send(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      const result = await sendOnce(method, path, body, contentType);
      const transient = result.status === 429 || (result.status >= 500 && result.status <= 504);
      if (!transient || attempt >= 4) return result;
      const retryAfter = Number(result.retryAfter);
      await pause(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter * 1000, 5000)
          : 100 * 2 ** attempt,
        new AbortController().signal,
      );
    }
  }

  async function sendOnce(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    // An explicit length: some servers reject a chunked body on DELETE.
    if (body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(body));
    const { url, opts } = await requestOptions(method, path, headers);
    const transport = url.protocol === "http:" ? await import("node:http") : await import("node:https");
    return await new Promise<HttpResult>((resolve, reject) => {
      const req = transport.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            retryAfter: res.headers["retry-after"],
          }),
        );
        res.on("error", (error) => reject(connectionError(error)));
      });
      req.on("error", (error) => reject(connectionError(error)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  function connectionError(error: Error): ExternalError {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return new ExternalError(
      `Cannot reach the Kubernetes API server at ${server}: ${code || error.message}`,
      {
        code: "kube-unreachable",
        hint: "Check network access to the cluster endpoint and your credentials: run `aiplat doctor`.",
        cause: error,
        details: { server, errno: code },
      },
    );
  }

  function apiError(method: string, what: string, result: HttpResult): ExternalError {
    let message = result.body.trim().slice(0, 500);
    let reason: string | undefined;
    try {
      const status = JSON.parse(result.body) as { message?: string; reason?: string };
      if (status.message) message = status.message;
      reason = status.reason;
    } catch {
      // Not a Status object: keep the raw (truncated) body.
    }
    const hint =
      result.status === 401 || result.status === 403
        ? "Check that your identity has access to the cluster (EKS access entry or RBAC): run `aiplat doctor`."
        : undefined;
    return new ExternalError(`Kubernetes API ${method} ${what} failed (${result.status}): ${message}`, {
      code: "kube-api",
      hint,
      details: { status: result.status, reason },
    });
  }

  async function resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = `${apiVersion}/${kind}`;
    const cached = resources.get(key);
    if (cached) return cached;
    // Discovery is re-read on a miss: CRDs installed since the last look must be found.
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const result = await send("GET", base);
    if (result.status === 404) {
      throw new ExternalError(`The cluster does not serve ${apiVersion} (kind ${kind}).`, {
        code: "kube-unknown-kind",
        hint: "Is the CRD installed? The platform's operators come with `aiplat bootstrap`; `kubectl get crd` lists what the cluster serves.",
      });
    }
    if (result.status >= 400) throw apiError("GET", base, result);
    const list = JSON.parse(result.body) as {
      resources?: { name: string; kind: string; namespaced: boolean }[];
    };
    for (const r of list.resources ?? []) {
      if (r.name.includes("/")) continue; // subresources such as pods/log
      resources.set(`${apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    const found = resources.get(key);
    if (!found) {
      throw new ExternalError(`The cluster does not serve kind ${kind} in ${apiVersion}.`, {
        code: "kube-unknown-kind",
        hint: "Is the CRD installed? The platform's operators come with `aiplat bootstrap`; `kubectl get crd` lists what the cluster serves.",
      });
    }
    return found;
  }

  async function collectionPath(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
  ): Promise<string> {
    const info = await resource(apiVersion, kind);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${base}${ns}/${info.plural}`;
  }

  async function objectPath(apiVersion: string, kind: string, name: string, namespace: string | undefined) {
    const info = await resource(apiVersion, kind);
    if (info.namespaced && !namespace) namespace = "default";
    return `${await collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
  }

  function query(params: Record<string, string | undefined>): string {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
    const text = search.toString();
    return text ? `?${text}` : "";
  }

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
        const outcome = await streamWatch(path, signal, (event) => {
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

  /** Streams one watch; "ended" on a clean end or 410 Gone (re-list), "error" on a broken connection. */
  async function streamWatch(
    path: string,
    signal: AbortSignal,
    onEvent: (event: { type: string; object: unknown }) => void,
  ): Promise<"ended" | "aborted" | "error"> {
    const { url, opts } = await requestOptions("GET", path, {});
    const transport = url.protocol === "http:" ? await import("node:http") : await import("node:https");
    return await new Promise((resolve, reject) => {
      let settled = false;
      let req: ClientRequest | undefined;
      const finish = (outcome: "ended" | "aborted" | "error") => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        req?.destroy();
        finish("aborted");
      };
      if (signal.aborted) return finish("aborted");
      signal.addEventListener("abort", onAbort);
      req = transport.request(opts, (res: IncomingMessage) => {
        if ((res.statusCode ?? 0) >= 400) {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const result = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") };
            if (result.status === 410) return finish("ended");
            settled = true;
            signal.removeEventListener("abort", onAbort);
            reject(apiError("watch", path, result));
          });
          return;
        }
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf("\n");
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf("\n");
            if (!line) continue;
            let event: { type: string; object: { code?: number } };
            try {
              event = JSON.parse(line) as typeof event;
            } catch {
              continue; // a torn or non-JSON line: the next re-list corrects any gap
            }
            if (event.type === "ERROR") {
              // 410 Gone (resourceVersion too old) and other watch errors: re-list and re-watch.
              req?.destroy();
              return finish("ended");
            }
            onEvent(event);
          }
        });
        res.on("end", () => finish("ended"));
        res.on("error", () => finish(signal.aborted ? "aborted" : "error"));
      });
      req.on("error", () => finish(signal.aborted ? "aborted" : "error"));
      req.end();
    });
  }

  return objects;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
