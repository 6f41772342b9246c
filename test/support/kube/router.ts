import { KubeError } from "./errors.js";
import type { TypeRegistry } from "./registry.js";
import type { ResourceType } from "./types.js";

/**
 * REST paths to resources: /api/v1/... and /apis/<group>/<version>/..., with or without
 * `namespaces/<ns>/`, the legacy `watch/` prefix, an object name and a subresource.
 */
export interface ResourceRoute {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPrefix: boolean;
}

export type Route =
  | { kind: "resource"; route: ResourceRoute }
  | { kind: "groupVersion"; group: string; version: string }
  | { kind: "group"; group: string }
  | { kind: "other"; path: string };

export function routePath(registry: TypeRegistry, pathname: string): Route {
  const segments = pathname
    .split("/")
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  if (segments[0] === "api" && segments.length >= 2) {
    const version = segments[1]!;
    if (segments.length === 2) return { kind: "groupVersion", group: "", version };
    return { kind: "resource", route: resolve(registry, "", version, segments.slice(2)) };
  }
  if (segments[0] === "apis" && segments.length >= 2) {
    const group = segments[1]!;
    if (segments.length === 2) return { kind: "group", group };
    const version = segments[2]!;
    if (segments.length === 3) return { kind: "groupVersion", group, version };
    return { kind: "resource", route: resolve(registry, group, version, segments.slice(3)) };
  }
  return { kind: "other", path: pathname };
}

function resolve(registry: TypeRegistry, group: string, version: string, rest: string[]): ResourceRoute {
  let watchPrefix = false;
  let parts = rest;
  if (parts[0] === "watch") {
    watchPrefix = true;
    parts = parts.slice(1);
  }
  if (parts[0] === "namespaces" && parts.length >= 3) {
    const nested = registry.find(group, version, parts[2]!);
    if (nested?.namespaced) {
      return { type: nested, namespace: parts[1], name: parts[3], subresource: parts[4], watchPrefix };
    }
  }
  const type = registry.find(group, version, parts[0] ?? "");
  if (!type) throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  if (type.namespaced && parts[1] !== undefined) {
    // A namespaced resource named without its namespace is not a path the server has.
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  }
  return { type, name: parts[1], subresource: parts[2], watchPrefix };
}
