import { builtinTypes } from "./builtin-types.js";
import { KubeError } from "./errors.js";
import {
  apiVersionOf,
  completeType,
  type ResourceType,
  type ResourceTypeInput,
  splitApiVersion,
} from "./types.js";

/**
 * Which resources the server serves, by group/version/plural and by apiVersion/kind. Objects of
 * one resource share storage across the versions it is served at (`storageKey`).
 */
export class TypeRegistry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byGvk = new Map<string, ResourceType>();
  private readonly listeners = new Set<() => void>();

  constructor(withBuiltins = true) {
    if (withBuiltins) for (const t of builtinTypes()) this.register(t);
  }

  register(input: ResourceTypeInput | ResourceType): ResourceType {
    const type = completeType(input);
    this.byPath.set(pathKey(type.group, type.version, type.plural), type);
    this.byGvk.set(gvkKey(apiVersionOf(type.group, type.version), type.kind), type);
    this.changed();
    return type;
  }

  unregister(group: string, plural: string): void {
    for (const [key, type] of this.byPath) {
      if (type.group === group && type.plural === plural) {
        this.byPath.delete(key);
        this.byGvk.delete(gvkKey(apiVersionOf(type.group, type.version), type.kind));
      }
    }
    this.changed();
  }

  /** Called after every change, so discovery and OpenAPI caches can be dropped. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPath.get(pathKey(group, version, plural));
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byGvk.get(gvkKey(apiVersion, kind));
  }

  /** The type of an object, or a 404 worded like kubectl's "no matches for kind". */
  require(apiVersion: string, kind: string): ResourceType {
    const type = this.findByKind(apiVersion, kind);
    if (!type) {
      const { group } = splitApiVersion(apiVersion);
      throw new KubeError(404, "NotFound", `no matches for kind "${kind}" in version "${apiVersion}"`, {
        group,
        kind,
      });
    }
    return type;
  }

  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  /** group → versions, in registration order (core group is ""). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.byPath.values()) {
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.version === version);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Storage is per group + plural: a CRD served at v1alpha1 and v1 holds one set of objects. */
export function storageKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

const pathKey = (group: string, version: string, plural: string): string => `${group}/${version}/${plural}`;
const gvkKey = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;
