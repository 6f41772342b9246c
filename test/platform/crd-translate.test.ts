/** The Kubernetes extensions of a CRD schema, translated for ajv (src/core/validate). */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { translateSchema, validateAgainstCrd, validateWithSchema } from "../../src/core/validate/index.js";

const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.io" },
  spec: {
    versions: [
      {
        name: "v1",
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: {
                type: "object",
                required: ["size", "mode"],
                properties: {
                  size: {
                    "x-kubernetes-int-or-string": true,
                    anyOf: [{ type: "integer" }, { type: "string" }],
                  },
                  port: { type: "integer", format: "int-or-string" },
                  mode: { type: "string", default: "fast", enum: ["fast", "slow"] },
                  note: { type: "string", nullable: true },
                  extra: {
                    type: "object",
                    "x-kubernetes-preserve-unknown-fields": true,
                    properties: { a: { type: "string" } },
                  },
                  labels: { type: "object", additionalProperties: { type: "string" } },
                  template: {
                    type: "object",
                    "x-kubernetes-embedded-resource": true,
                    "x-kubernetes-preserve-unknown-fields": true,
                  },
                  items: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: { name: { type: "string" } },
                      "x-kubernetes-validations": [{ rule: "true" }],
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (spec: Record<string, unknown>) => ({
  apiVersion: "example.io/v1",
  kind: "Widget",
  metadata: { name: "w" },
  spec,
});

describe("validateAgainstCrd (strict)", () => {
  it("accepts int-or-string both ways, null where nullable, anything where unknown fields are preserved", () => {
    for (const size of [3, "3Gi"]) {
      expect(
        validateAgainstCrd(
          crd,
          "v1",
          widget({
            size,
            port: "http",
            note: null,
            extra: { a: "x", anything: [1] },
            labels: { "a.b/c": "d" },
          }),
        ),
      ).toEqual([]);
    }
  });

  it("does not require a field the API server would default", () => {
    expect(validateAgainstCrd(crd, "v1", widget({ size: 1 }))).toEqual([]);
  });

  it("reports unknown fields at any depth with their full path, and wrong types", () => {
    const problems = validateAgainstCrd(
      crd,
      "v1",
      widget({
        size: true,
        mode: "medium",
        items: [{ name: "a" }, { nmae: "b" }],
        labels: { "nvidia.com/gpu": 1 },
        colour: "red",
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: "spec.colour", message: "unknown field (not in the schema)" },
        { path: "spec.items[1].nmae", message: "unknown field (not in the schema)" },
        { path: "spec.size", message: "must be an integer or a string" },
        { path: "spec.mode", message: "must be equal to one of the allowed values" },
        { path: "spec.labels.nvidia.com/gpu", message: "must be string" },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("says which version is missing", () => {
    expect(() => validateAgainstCrd(crd, "v2", widget({ size: 1 }))).toThrow(ConfigError);
    expect(() => validateAgainstCrd(crd, "v2", widget({ size: 1 }))).toThrow(/has: v1/);
  });
});

describe("translateSchema", () => {
  it("leaves objects open when not strict (what the API server itself accepts, minus pruning)", () => {
    const schema = translateSchema(crd.spec.versions[0]!.schema.openAPIV3Schema, false);
    expect(validateWithSchema(schema, widget({ size: 1, colour: "red" }))).toEqual([]);
  });

  it("gives embedded resources apiVersion, kind and metadata", () => {
    const schema = translateSchema({
      type: "object",
      "x-kubernetes-embedded-resource": true,
      properties: { spec: { type: "object" } },
    });
    expect(validateWithSchema(schema, { apiVersion: "v1", kind: "Pod", metadata: {}, spec: {} })).toEqual([]);
    expect(validateWithSchema(schema, { apiVersion: "v1", kind: "Pod", other: 1 })).toEqual([
      { path: "other", message: "unknown field (not in the schema)" },
    ]);
  });
});
