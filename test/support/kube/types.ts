/** Shapes shared by the store, the HTTP layer and the public API of the test API server. */

/** A Kubernetes object as JSON; fields are checked where used rather than typed up front. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
};

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export type ObjectMeta = Record<string, unknown> & {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
};

/** A column of `kubectl get` output (Table); `jsonPath` is a simple `.a.b` path or a condition filter. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** A resource the server serves at one group/version, built-in or from a CRD. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Has a status subresource: main writes keep status, /status writes change only status. */
  statusSubresource: boolean;
  /** Extra Table columns after Name (Age is always appended). */
  columns: PrinterColumn[];
  /** Served from a CustomResourceDefinition (JSON merge patch only, resourceVersion needed on PUT). */
  custom: boolean;
  /** The openAPIV3Schema of a CRD version, used to prune, default and validate. */
  schema?: Record<string, unknown>;
  /** Other subresources the server answers (e.g. pods: log, portforward). */
  subresources: string[];
}

export type ResourceTypeInput = Partial<ResourceType> &
  Pick<ResourceType, "version" | "kind" | "plural"> & { group?: string };

export const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Fill the defaults of a type declaration (singular from kind, all verbs, no columns). */
export function completeType(input: ResourceTypeInput): ResourceType {
  return {
    group: input.group ?? "",
    version: input.version,
    kind: input.kind,
    listKind: input.listKind ?? `${input.kind}List`,
    plural: input.plural,
    singular: input.singular ?? input.kind.toLowerCase(),
    namespaced: input.namespaced ?? true,
    shortNames: input.shortNames ?? [],
    categories: input.categories ?? [],
    verbs: input.verbs ?? ALL_VERBS,
    statusSubresource: input.statusSubresource ?? false,
    columns: input.columns ?? [],
    custom: input.custom ?? false,
    schema: input.schema,
    subresources: input.subresources ?? [],
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
