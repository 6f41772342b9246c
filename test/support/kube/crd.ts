import { badRequest, invalid } from "./errors.js";
import { nowTimestamp } from "./json.js";
import { processCustomResource } from "./schema.js";
import { completeType, isObject, type KubeObject, type PrinterColumn, type ResourceType } from "./types.js";

/**
 * CustomResourceDefinitions: what a CRD must contain to be accepted, the resource types it makes
 * the server serve (one per served version), and the status the real server reports once it does.
 */
interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

function namesOf(crd: KubeObject): CrdNames | undefined {
  const spec = isObject(crd.spec) ? crd.spec : {};
  return isObject(spec.names) ? (spec.names as unknown as CrdNames) : undefined;
}

export function validateCrd(crd: KubeObject): void {
  const name = crd.metadata?.name ?? "";
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = namesOf(crd);
  const causes: { field: string; message: string }[] = [];
  if (typeof spec.group !== "string" || !spec.group)
    causes.push({ field: "spec.group", message: "Required value" });
  if (!names?.plural) causes.push({ field: "spec.names.plural", message: "Required value" });
  if (!names?.kind) causes.push({ field: "spec.names.kind", message: "Required value" });
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      field: "spec.scope",
      message: `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  if (versions.length === 0)
    causes.push({
      field: "spec.versions",
      message: "Invalid value: null: must have exactly one version marked as storage version",
    });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    causes.push({
      field: "spec.versions",
      message: "Invalid value: must have exactly one version marked as storage version",
    });
  }
  if (names?.plural && typeof spec.group === "string" && name !== `${names.plural}.${spec.group}`) {
    causes.push({
      field: "metadata.name",
      message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (causes.length > 0) throw invalid("CustomResourceDefinition", "apiextensions.k8s.io", name, causes);
}

export function typesFromCrd(crd: KubeObject): ResourceType[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = namesOf(crd);
  if (!names || typeof spec.group !== "string") return [];
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const subresources = isObject(v.subresources) ? v.subresources : {};
      const schema =
        isObject(v.schema) && isObject(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
      const columns = (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : [])
        .filter(isObject)
        .map((c) => c as unknown as PrinterColumn);
      return completeType({
        group: spec.group as string,
        version: String(v.name),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: spec.scope !== "Cluster",
        statusSubresource: isObject(subresources.status),
        columns,
        custom: true,
        schema,
      });
    });
}

/** The status the apiextensions controller writes once the names are accepted. */
export function establishedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = namesOf(crd) ?? { plural: "", kind: "" };
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const storage = versions.find((v) => v.storage === true)?.name;
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found"),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ],
    storedVersions: storage ? [storage] : [],
  };
}

const isCrdType = (type: ResourceType): boolean =>
  type.group === "apiextensions.k8s.io" && type.plural === "customresourcedefinitions";

/**
 * What every write of a CRD or a custom resource goes through: a CRD is validated and reported
 * Established; a custom resource is pruned, defaulted and validated by its schema, and with
 * `fieldValidation=Strict` (kubectl's default) a field the schema does not declare is a 400 with
 * the real server's strict-decoding message instead of being pruned silently.
 */
export function prepareCustomObject(type: ResourceType, obj: KubeObject, fieldValidation?: string): void {
  if (isCrdType(type)) {
    validateCrd(obj);
    if (!obj.metadata?.deletionTimestamp) obj.status = establishedStatus(obj, nowTimestamp());
  }
  if (!type.custom) return;
  const pruned = processCustomResource(type, obj);
  if (fieldValidation === "Strict" && pruned.length > 0) {
    const fields = [...pruned]
      .sort()
      .map((f) => `unknown field "${f}"`)
      .join(", ");
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${fields}`,
    );
  }
}
