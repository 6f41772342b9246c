import { createHash } from "node:crypto";
import { KubeError } from "./errors.js";
import type { TypeRegistry } from "./registry.js";
import type { ResourceType } from "./types.js";

/**
 * Just enough OpenAPI v3 for kubectl's default `apply`: the root lists every group/version, and
 * each group/version document has the object paths whose PATCH operation carries the
 * x-kubernetes-group-version-kind extension and the `fieldValidation` query parameter kubectl
 * checks before asking the server to validate (TOOLCHAIN.md). Schemas are the CRD's own
 * openAPIV3Schema for custom resources and an open object for built-ins.
 */
export function openApiRoot(registry: TypeRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const key = group ? `apis/${group}/${version}` : `api/${version}`;
      paths[key] = {
        serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(registry.inGroupVersion(group, version))}`,
      };
    }
  }
  return { paths };
}

function hashOf(types: ResourceType[]): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(types.map((t) => [t.kind, t.plural, t.namespaced, t.schema ?? null])));
  return h.digest("hex").slice(0, 32).toUpperCase();
}

const queryParam = (name: string, type = "string") => ({
  name,
  in: "query",
  schema: { type },
  uniqueItems: true,
});

function schemaName(t: ResourceType): string {
  const reversed = t.group ? t.group.split(".").reverse().join(".") : "io.k8s.api.core";
  return `${reversed}.${t.version}.${t.kind}`;
}

function objectSchema(t: ResourceType): Record<string, unknown> {
  const gvk = [{ group: t.group, version: t.version, kind: t.kind }];
  const base = t.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  const props = (base.properties as Record<string, unknown> | undefined) ?? {};
  return {
    ...base,
    type: "object",
    properties: {
      ...props,
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
    "x-kubernetes-group-version-kind": gvk,
  };
}

function pathsFor(t: ResourceType): Record<string, unknown> {
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const collection = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(t)}` };
  const body = { content: { "application/json": { schema: ref } } };
  const ok = { "200": { description: "OK", content: { "application/json": { schema: ref } } } };
  const op = (action: string, extra: Record<string, unknown> = {}) => ({
    operationId: `${action}${t.kind}`,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    responses: ok,
    ...extra,
  });
  const writeParams = [queryParam("dryRun"), queryParam("fieldManager"), queryParam("fieldValidation")];
  return {
    [collection]: {
      get: op("list", {
        parameters: [
          queryParam("labelSelector"),
          queryParam("fieldSelector"),
          queryParam("watch", "boolean"),
        ],
      }),
      post: op("post", { parameters: writeParams, requestBody: body }),
    },
    [`${collection}/{name}`]: {
      get: op("get"),
      put: op("put", { parameters: writeParams, requestBody: body }),
      patch: op("patch", {
        parameters: [...writeParams, queryParam("force", "boolean")],
        requestBody: { content: { "application/merge-patch+json": { schema: { type: "object" } } } },
      }),
      delete: op("delete"),
    },
  };
}

export function openApiGroupVersion(
  registry: TypeRegistry,
  group: string,
  version: string,
): Record<string, unknown> {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0)
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const t of types) {
    Object.assign(paths, pathsFor(t));
    schemas[schemaName(t)] = objectSchema(t);
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas },
  };
}
