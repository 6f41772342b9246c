/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../../src/core/errors.js";
import {
  generateInstanceCrd,
  instanceApiVersion,
  instanceSpecSchema,
  renderInstance,
} from "../../src/core/kro/index.js";
import { kroChildLabels } from "../../src/core/kro/labels.js";
import type { RenderedResource } from "../../src/core/kro/render.js";

function metadataOf(resource: RenderedResource | undefined): {
  namespace?: string;
  labels: Record<string, string>;
} {
  return (resource?.object.metadata ?? { labels: {} }) as {
    namespace?: string;
    labels: Record<string, string>;
  };
}

// A graph in its own group, with one resource that sets its own namespace and labels.
const rgd = {
  kind: "ResourceGraphDefinition",
  metadata: { name: "cache.example.com" },
  spec: {
    schema: {
      apiVersion: "v1beta1",
      kind: "Cache",
      group: "example.com",
      spec: { size: 'string | default="small"' },
      status: { ready: "${config.status.ready}" },
    },
    resources: [
      {
        id: "config",
        template: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: {
            name: "${schema.metadata.name}",
            namespace: "shared",
            labels: { team: "ml", "kro.run/owned": "false", "kro.run/node-id": "mine" },
          },
          data: { size: "${schema.spec.size}" },
        },
        includeWhen: ["${schema.spec.size == 'small'}"],
      },
      { id: "bare", template: { apiVersion: "v1", kind: "Secret" } },
    ],
  },
};

describe("the instance API an RGD serves", () => {
  it("is in the RGD's group, or kro.run when it names none", () => {
    expect(instanceApiVersion(rgd)).toBe("example.com/v1beta1");
    const { group: _group, ...schema } = rgd.spec.schema;
    expect(instanceApiVersion({ ...rgd, spec: { ...rgd.spec, schema } })).toBe("kro.run/v1beta1");
  });

  it("its CRD is what KRO would generate", () => {
    expect(generateInstanceCrd(rgd)).toEqual({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "caches.example.com" },
      spec: {
        group: "example.com",
        names: { kind: "Cache", plural: "caches", singular: "cache", listKind: "CacheList" },
        scope: "Namespaced",
        versions: [
          {
            name: "v1beta1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  apiVersion: { type: "string" },
                  kind: { type: "string" },
                  metadata: { type: "object" },
                  spec: { type: "object", properties: { size: { type: "string", default: "small" } } },
                  status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
            },
          },
        ],
      },
    });
  });

  it("an RGD without a spec schema has an empty spec", () => {
    const { spec: _spec, ...schema } = rgd.spec.schema;
    expect(instanceSpecSchema({ ...rgd, spec: { ...rgd.spec, schema } })).toEqual({
      type: "object",
      properties: {},
    });
  });

  it("names a bad SimpleSchema field by its path under spec", () => {
    const bad = { ...rgd, spec: { ...rgd.spec, schema: { ...rgd.spec.schema, spec: { size: "strin" } } } };
    expect(() => instanceSpecSchema(bad)).toThrow(
      new ConfigError('SimpleSchema field "spec.size": unsupported type "strin"'),
    );
  });

  it("refuses what is not an RGD", () => {
    const text = "Not a KRO ResourceGraphDefinition (kind, spec.schema.kind and spec.resources are needed)";
    expect(() => generateInstanceCrd({ ...rgd, kind: "Deployment" })).toThrow(new ConfigError(text));
    expect(() => instanceSpecSchema(undefined)).toThrow(text);
    expect(() => instanceSpecSchema({ kind: "ResourceGraphDefinition" })).toThrow(text);
    expect(() => instanceSpecSchema({ kind: "ResourceGraphDefinition", spec: { resources: [] } })).toThrow(
      text,
    );
    expect(() =>
      instanceSpecSchema({ ...rgd, spec: { ...rgd.spec, schema: { ...rgd.spec.schema, kind: "" } } }),
    ).toThrow(text);
    expect(() => instanceSpecSchema({ ...rgd, spec: { ...rgd.spec, resources: {} } })).toThrow(text);
  });
});

describe("renderInstance", () => {
  const instance = { apiVersion: "example.com/v1beta1", kind: "Cache", metadata: { name: "c1" } };

  it("puts the instance in the default namespace when it names none", () => {
    const result = renderInstance(rgd, instance);
    expect(result.instance).toEqual({
      apiVersion: "example.com/v1beta1",
      kind: "Cache",
      metadata: { name: "c1", namespace: "default" },
      spec: { size: "small" },
    });
  });

  it("keeps a template's namespace, and writes KRO's labels over the template's", () => {
    const [config, bare] = renderInstance(rgd, instance).resources;
    expect(config?.object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "c1",
        namespace: "shared",
        labels: {
          team: "ml",
          "kro.run/owned": "true",
          "kro.run/instance-name": "c1",
          "kro.run/instance-namespace": "default",
          "kro.run/instance-group": "example.com",
          "kro.run/instance-version": "v1beta1",
          "kro.run/instance-kind": "Cache",
          "kro.run/resource-graph-definition-name": "cache.example.com",
          "app.kubernetes.io/managed-by": "kro",
          "kro.run/node-id": "config",
        },
      },
      data: { size: "small" },
    });
    expect(config?.includeWhen).toEqual(["${schema.spec.size == 'small'}"]);
    expect(config?.readyWhen).toEqual([]);
    expect(bare?.includeWhen).toEqual([]);
    expect(metadataOf(bare).namespace).toBe("default");
    expect(metadataOf(bare).labels["kro.run/node-id"]).toBe("bare");
  });

  it("returns the status expressions as written, as a copy", () => {
    const result = renderInstance(rgd, instance);
    expect(result.status).toEqual({ ready: "${config.status.ready}" });
    expect(result.status).not.toBe(rgd.spec.schema.status);
    const { status: _status, ...schema } = rgd.spec.schema;
    expect(renderInstance({ ...rgd, spec: { ...rgd.spec, schema } }, instance).status).toEqual({});
  });

  it("an RGD without a name gives an empty name label", () => {
    const { metadata: _metadata, ...unnamed } = rgd;
    const [config] = renderInstance(unnamed, instance).resources;
    expect(metadataOf(config).labels["kro.run/resource-graph-definition-name"]).toBe("");
  });

  it("names the apiVersion the instance must have", () => {
    let error: unknown;
    try {
      renderInstance(rgd, { ...instance, apiVersion: "kro.run/v1beta1" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      'apiVersion must be example.com/v1beta1 (got "kro.run/v1beta1")',
    );
    expect((error as UsageError).code).toBe("invalid-instance");
    expect(() => renderInstance(rgd, undefined)).toThrow(
      "apiVersion must be example.com/v1beta1 (got undefined)",
    );
  });

  it("does not preview a resource without a template", () => {
    const external = { ...rgd, spec: { ...rgd.spec, resources: [{ id: "vpc" }] } };
    expect(() => renderInstance(external, instance)).toThrow(
      new ConfigError('RGD resource "vpc" has no template (externalRef is not previewed)'),
    );
  });
});

describe("kroChildLabels", () => {
  it("a core-group apiVersion has an empty group", () => {
    expect(kroChildLabels({ rgdName: "r", apiVersion: "v1", kind: "K", name: "n", namespace: "ns" })).toEqual(
      {
        "kro.run/owned": "true",
        "kro.run/instance-name": "n",
        "kro.run/instance-namespace": "ns",
        "kro.run/instance-group": "",
        "kro.run/instance-version": "v1",
        "kro.run/instance-kind": "K",
        "kro.run/resource-graph-definition-name": "r",
        "app.kubernetes.io/managed-by": "kro",
      },
    );
  });
});
