import { KubeError } from "./errors.js";
import type { TypeRegistry } from "./registry.js";
import { apiVersionOf, type ResourceType } from "./types.js";

/**
 * Legacy discovery documents (kubectl falls back to them when the aggregated form is not
 * offered): /version, /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>.
 */
export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-aiplat-test",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

/** Kubernetes version order: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === "alpha" ? 0 : m[2] === "beta" ? 1 : 2;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

export function apiVersions(address: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: address }],
  };
}

function groupDoc(group: string, versions: string[]): Record<string, unknown> {
  const sorted = [...versions].sort(compareVersions);
  const entry = (v: string) => ({ groupVersion: apiVersionOf(group, v), version: v });
  return { name: group, versions: sorted.map(entry), preferredVersion: entry(sorted[0] ?? "v1") };
}

export function apiGroupList(registry: TypeRegistry): Record<string, unknown> {
  const groups = [...registry.groups()]
    .filter(([g]) => g !== "")
    .map(([g, versions]) => groupDoc(g, versions));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(registry: TypeRegistry, group: string): Record<string, unknown> {
  const versions = registry.groups().get(group);
  if (!versions || group === "")
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  return { kind: "APIGroup", apiVersion: "v1", ...groupDoc(group, versions) };
}

function resourceEntries(t: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.verbs,
  };
  if (t.shortNames.length > 0) main.shortNames = t.shortNames;
  if (t.categories.length > 0) main.categories = t.categories;
  const out = [main];
  if (t.statusSubresource) {
    out.push({
      name: `${t.plural}/status`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["get", "patch", "update"],
    });
  }
  if (t.subresources.includes("log")) {
    out.push({
      name: `${t.plural}/log`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["get"],
    });
  }
  if (t.subresources.includes("portforward")) {
    out.push({
      name: `${t.plural}/portforward`,
      singularName: "",
      namespaced: t.namespaced,
      kind: "PodPortForwardOptions",
      verbs: ["create", "get"],
    });
  }
  if (t.subresources.includes("eviction")) {
    out.push({
      name: `${t.plural}/eviction`,
      singularName: "",
      namespaced: t.namespaced,
      group: "policy",
      version: "v1",
      kind: "Eviction",
      verbs: ["create"],
    });
  }
  return out;
}

export function apiResourceList(
  registry: TypeRegistry,
  group: string,
  version: string,
): Record<string, unknown> {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0)
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf(group, version),
    resources: types.flatMap(resourceEntries),
  };
}
