import { ExternalError } from "../../core/errors.js";
import type { KubeHttp } from "./http.js";

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** REST paths of kinds, from the API server's own discovery (re-read on a miss: new CRDs). */
export interface ResourcePaths {
  collectionPath(apiVersion: string, kind: string, namespace: string | undefined): Promise<string>;
  objectPath(apiVersion: string, kind: string, name: string, namespace: string | undefined): Promise<string>;
}

export function createResourcePaths(http: KubeHttp): ResourcePaths {
  const { send, apiError } = http;
  const resources = new Map<string, ResourceInfo>();

  async function resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = `${apiVersion}/${kind}`;
    const cached = resources.get(key);
    if (cached) return cached;
    // Discovery is re-read on a miss: CRDs installed since the last look must be found.
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const result = await send("GET", base);
    if (result.status === 404) throw unknownKind(`The cluster does not serve ${apiVersion} (kind ${kind}).`);
    if (result.status >= 400) throw apiError("GET", base, result);
    const list = JSON.parse(result.body) as {
      resources?: { name: string; kind: string; namespaced: boolean }[];
    };
    for (const r of list.resources ?? []) {
      if (r.name.includes("/")) continue; // subresources such as pods/log
      resources.set(`${apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    const found = resources.get(key);
    if (!found) throw unknownKind(`The cluster does not serve kind ${kind} in ${apiVersion}.`);
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

  return { collectionPath, objectPath };
}

function unknownKind(message: string): ExternalError {
  return new ExternalError(message, {
    code: "kube-unknown-kind",
    hint: "Is the CRD installed? The platform's operators come with `aiplat bootstrap`; `kubectl get crd` lists what the cluster serves.",
  });
}

/** A query string from the defined parameters ("" when there are none). */
export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
}
