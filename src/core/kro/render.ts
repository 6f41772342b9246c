/**
 * The KRO preview renderer: what KRO would create from a ResourceGraphDefinition for one instance.
 * Pure (objects in, objects out) so tests, `deploy-model --dry-run` and the cluster simulator share it.
 */
import { ConfigError, UsageError } from "../errors.js";
import { substituteDeep } from "./expressions.js";
import { checkInstance, type InstanceShape } from "./instance.js";
import { KRO_NODE_ID_LABEL, kroChildLabels } from "./labels.js";
import { convertSimpleSchema, type OpenApiSchema } from "./simple-schema.js";

export interface RgdResource {
  id: string;
  template?: Record<string, unknown>;
  readyWhen?: string[];
  includeWhen?: string[];
}

export interface ResourceGraphDefinition {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec: {
    schema: {
      apiVersion: string;
      kind: string;
      group?: string;
      spec?: unknown;
      status?: Record<string, unknown>;
    };
    resources: RgdResource[];
  };
}

export interface RenderedResource {
  id: string;
  object: Record<string, unknown>;
  /** CEL expressions left for KRO to evaluate in the cluster (status reads, optional access…). */
  unresolved: string[];
  readyWhen: string[];
  includeWhen: string[];
}

export interface RenderResult {
  instance: Record<string, unknown>;
  resources: RenderedResource[];
  /** The instance's status fields, still as expressions (they read resources' status). */
  status: Record<string, unknown>;
}

function asRgd(rgd: unknown): ResourceGraphDefinition {
  const r = rgd as ResourceGraphDefinition | undefined;
  if (r?.kind !== "ResourceGraphDefinition" || !r.spec?.schema?.kind || !Array.isArray(r.spec.resources)) {
    throw new ConfigError(
      "Not a KRO ResourceGraphDefinition (kind, spec.schema.kind and spec.resources are needed)",
    );
  }
  return r;
}

/** The group/version instances of this RGD use (KRO's default group is kro.run). */
export function instanceApiVersion(rgd: ResourceGraphDefinition): string {
  return `${rgd.spec.schema.group ?? "kro.run"}/${rgd.spec.schema.apiVersion}`;
}

/** The spec schema (OpenAPI) KRO derives from the RGD's SimpleSchema. */
export function instanceSpecSchema(rgd: unknown): OpenApiSchema {
  return convertSimpleSchema(asRgd(rgd).spec.schema.spec ?? {}, "spec");
}

/** The CustomResourceDefinition KRO would generate for the RGD's kind (for strict validation). */
export function generateInstanceCrd(rgdInput: unknown): Record<string, unknown> {
  const rgd = asRgd(rgdInput);
  const { kind, apiVersion } = rgd.spec.schema;
  const group = rgd.spec.schema.group ?? "kro.run";
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: "Namespaced",
      versions: [
        {
          name: apiVersion,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: instanceSpecSchema(rgd),
                // KRO infers status types from the CEL expressions and adds state/conditions.
                status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              },
            },
          },
        },
      ],
    },
  };
}

/**
 * Renders every resource of the graph for one instance. Throws UsageError for an invalid instance
 * (missing required, out of range, wrong type, unknown field, `${` in a value) and ConfigError for
 * an RGD that KRO itself would reject (e.g. a non-string inside a string template).
 */
export function renderInstance(rgdInput: unknown, instanceInput: unknown): RenderResult {
  const rgd = asRgd(rgdInput);
  const instance = (instanceInput ?? {}) as InstanceShape;
  const expectedApiVersion = instanceApiVersion(rgd);
  if (instance.apiVersion !== expectedApiVersion) {
    throw new UsageError(
      `apiVersion must be ${expectedApiVersion} (got ${JSON.stringify(instance.apiVersion)})`,
      {
        code: "invalid-instance",
      },
    );
  }
  const spec = checkInstance(instance, rgd.spec.schema.kind, instanceSpecSchema(rgd));
  // checkInstance has required metadata.name, so metadata is there and its name a string.
  const metadata = { ...instance.metadata } as Record<string, unknown>;
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "default";
  metadata.namespace = namespace;
  const full = { apiVersion: instance.apiVersion, kind: instance.kind, metadata, spec };

  const labels = kroChildLabels({
    rgdName: rgd.metadata?.name ?? "",
    apiVersion: expectedApiVersion,
    kind: rgd.spec.schema.kind,
    name: String(metadata.name),
    namespace,
  });
  const scope: Record<string, unknown> = { schema: full };
  const resources: RenderedResource[] = [];
  for (const resource of rgd.spec.resources) {
    if (!resource.template)
      throw new ConfigError(`RGD resource "${resource.id}" has no template (externalRef is not previewed)`);
    const unresolved: string[] = [];
    const object = substituteDeep(resource.template, scope, resource.id, unresolved) as Record<
      string,
      unknown
    >;
    const meta = (object.metadata ?? {}) as Record<string, unknown>;
    // KRO places namespaced children in the instance's namespace unless the template says otherwise
    // (kro v0.9.3 pkg/runtime/node_resolve.go normalizeNamespaces), and writes its own labels over
    // the template's, then kro.run/node-id: <resource id> (pkg/controller/instance/resources.go
    // applyDecoratorLabels).
    object.metadata = {
      ...meta,
      namespace: meta.namespace ?? namespace,
      labels: {
        ...((meta.labels ?? {}) as Record<string, unknown>),
        ...labels,
        [KRO_NODE_ID_LABEL]: resource.id,
      },
    };
    scope[resource.id] = object;
    resources.push({
      id: resource.id,
      object,
      unresolved,
      readyWhen: resource.readyWhen ?? [],
      includeWhen: resource.includeWhen ?? [],
    });
  }
  return { instance: full, resources, status: { ...(rgd.spec.schema.status ?? {}) } };
}
