import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import {
  crdVersionSchema,
  translateSchema,
  validateAgainstCrd,
  validateWithSchema,
  versionOf,
} from "../../src/core/validate/index.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

const INT_OR_STRING = [{ type: "integer" }, { type: "string" }];

describe("a CRD schema node translated for ajv", () => {
  it.each([[null], ["object"], [[{ type: "string" }]], [undefined]])(
    "reads %j as an empty schema",
    (node) => {
      expect(translateSchema(node)).toEqual({});
    },
  );

  it("adds no key it has no value for (not even one holding undefined)", () => {
    expect(translateSchema({})).toStrictEqual({});
    expect(translateSchema({ type: 3, description: "x" })).toStrictEqual({});
    expect(translateSchema({ type: "string" })).toStrictEqual({ type: "string" });
  });

  it("gives an embedded resource apiVersion, kind and metadata when it does not declare them", () => {
    expect(translateSchema({ type: "object", "x-kubernetes-embedded-resource": true }, false)).toStrictEqual({
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: { type: "object" },
      },
    });
  });

  it("copies the validation keywords and drops formats and CEL rules", () => {
    const node = {
      type: "string",
      enum: ["a", "b"],
      pattern: "^a",
      minLength: 1,
      maxLength: 5,
      format: "date-time",
      description: "kept out",
      "x-kubernetes-validations": [{ rule: "self != ''" }],
    };
    expect(translateSchema(node)).toEqual({
      type: "string",
      enum: ["a", "b"],
      pattern: "^a",
      minLength: 1,
      maxLength: 5,
    });
    const numbers = {
      type: "number",
      minimum: 1,
      maximum: 9,
      exclusiveMinimum: 0,
      exclusiveMaximum: 10,
      multipleOf: 0.5,
    };
    expect(translateSchema(numbers)).toEqual(numbers);
    const array = { type: "array", minItems: 1, maxItems: 3, uniqueItems: true, items: { type: "string" } };
    expect(translateSchema(array)).toEqual(array);
  });

  it("closes an object with properties, counting its property limits", () => {
    expect(
      translateSchema({
        type: "object",
        minProperties: 1,
        maxProperties: 2,
        properties: { a: { type: "string" } },
      }),
    ).toEqual({
      type: "object",
      minProperties: 1,
      maxProperties: 2,
      properties: { a: { type: "string" } },
      additionalProperties: false,
    });
    // Without properties there is nothing to close against.
    expect(translateSchema({ type: "object" })).toEqual({ type: "object" });
  });

  it("lets null through where the field is nullable, in the type and in the enum", () => {
    expect(translateSchema({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(translateSchema({ type: "string", nullable: false })).toEqual({ type: "string" });
    expect(translateSchema({ nullable: true })).toEqual({});
  });

  it("reads both spellings of int-or-string as integer or string, ignoring the node's own branches", () => {
    expect(translateSchema({ "x-kubernetes-int-or-string": true, anyOf: [{ type: "boolean" }] })).toEqual({
      anyOf: INT_OR_STRING,
    });
    expect(translateSchema({ type: "string", format: "int-or-string", nullable: true })).toEqual({
      anyOf: INT_OR_STRING,
    });
    expect(translateSchema({ type: "string", "x-kubernetes-int-or-string": false })).toEqual({
      type: "string",
    });
  });

  it("leaves objects open that preserve unknown fields, or when not strict", () => {
    expect(
      translateSchema({
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties: { a: {} },
      }),
    ).toEqual({ type: "object", properties: { a: {} } });
    expect(
      translateSchema(
        { type: "object", properties: { a: { type: "object", properties: { b: { type: "string" } } } } },
        false,
      ),
    ).toEqual({
      type: "object",
      properties: { a: { type: "object", properties: { b: { type: "string" } } } },
    });
  });

  it("translates additionalProperties as given, schema or boolean", () => {
    expect(
      translateSchema({ type: "object", additionalProperties: { type: "object", properties: { x: {} } } }),
    ).toEqual({
      type: "object",
      additionalProperties: { type: "object", properties: { x: {} }, additionalProperties: false },
    });
    expect(translateSchema({ type: "object", properties: { a: {} }, additionalProperties: true })).toEqual({
      type: "object",
      properties: { a: {} },
      additionalProperties: true,
    });
    expect(translateSchema({ type: "object", additionalProperties: false })).toEqual({
      type: "object",
      additionalProperties: false,
    });
  });

  it("does not require what the API server defaults, nor anything that is not a name", () => {
    expect(
      translateSchema({
        type: "object",
        required: ["a", "b", 5],
        properties: { a: { type: "string", default: "x" }, b: { type: "string" } },
      }),
    ).toEqual({
      type: "object",
      required: ["b"],
      properties: { a: { type: "string" }, b: { type: "string" } },
      additionalProperties: false,
    });
    expect(translateSchema({ type: "object", required: ["a"], properties: { a: { default: 1 } } })).toEqual({
      type: "object",
      properties: { a: {} },
      additionalProperties: false,
    });
    expect(translateSchema({ required: ["a"] })).toEqual({ required: ["a"] });
    expect(translateSchema({ required: "a" })).toEqual({});
  });

  it("gives an embedded resource apiVersion, kind and metadata, keeping those it declares", () => {
    expect(
      translateSchema({
        type: "object",
        "x-kubernetes-embedded-resource": true,
        properties: { kind: { type: "string", enum: ["Pod"] } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        kind: { type: "string", enum: ["Pod"] },
        apiVersion: { type: "string" },
        metadata: { type: "object" },
      },
      additionalProperties: false,
    });
  });

  it("translates every branch of anyOf, allOf, oneOf and not, strictly or not", () => {
    const closed = { type: "object", properties: { a: {} } };
    expect(translateSchema({ anyOf: [closed], allOf: [closed], oneOf: [closed], not: closed })).toEqual({
      anyOf: [{ ...closed, additionalProperties: false }],
      allOf: [{ ...closed, additionalProperties: false }],
      oneOf: [{ ...closed, additionalProperties: false }],
      not: { ...closed, additionalProperties: false },
    });
    expect(translateSchema({ anyOf: [closed], not: closed, items: closed }, false)).toEqual({
      anyOf: [closed],
      not: closed,
      items: closed,
    });
    expect(translateSchema({ anyOf: "x" })).toEqual({});
  });
});

describe("the schema of one CRD version", () => {
  const crd = {
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.io" },
    spec: {
      versions: [{ name: "v1", schema: { openAPIV3Schema: { type: "object" } } }, { name: "v1alpha1" }],
    },
  };

  it("is found by version name", () => {
    expect(crdVersionSchema(crd, "v1")).toEqual({ type: "object" });
  });

  it.each([
    ["v2", "CRD widgets.example.io has no schema for version v2 (has: v1, v1alpha1)"],
    ["v1alpha1", "CRD widgets.example.io has no schema for version v1alpha1 (has: v1, v1alpha1)"],
  ])("is missing for %s, naming the versions there are", (version, message) => {
    const error = thrown(() => crdVersionSchema(crd, version));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });

  it("names a CRD without metadata as undefined", () => {
    const bare = { kind: "CustomResourceDefinition", spec: { versions: [] } };
    expect((thrown(() => crdVersionSchema(bare, "v1")) as Error).message).toBe(
      "CRD undefined has no schema for version v1 (has: )",
    );
  });

  it.each([
    [{ ...crd, kind: "Deployment" }],
    [{ kind: "CustomResourceDefinition", spec: {} }],
    [{ kind: "CustomResourceDefinition" }],
    [undefined],
  ])("needs a CustomResourceDefinition with versions (%#)", (object) => {
    const error = thrown(() => crdVersionSchema(object, "v1"));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("Not a CustomResourceDefinition with spec.versions");
  });
});

describe("validation problems, one per field with its full path", () => {
  const schema = translateSchema({
    type: "object",
    required: ["spec"],
    properties: {
      spec: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string" },
          size: { "x-kubernetes-int-or-string": true },
          items: { type: "array", items: { type: "object", properties: { port: { type: "integer" } } } },
          labels: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    },
  });

  it("finds nothing wrong with a good object", () => {
    expect(validateWithSchema(schema, { spec: { name: "a", size: "10%", items: [{ port: 80 }] } })).toEqual(
      [],
    );
  });

  it("names unknown and missing fields, wrong types and bad int-or-strings", () => {
    expect(
      validateWithSchema(schema, {
        extra: 1,
        spec: { size: true, items: [{ port: 80 }, { port: "x", host: "h" }], labels: { "a/b~c": 5 } },
      }),
    ).toEqual([
      { path: "extra", message: "unknown field (not in the schema)" },
      { path: "spec.name", message: "required field is missing" },
      { path: "spec.size", message: "must be an integer or a string" },
      { path: "spec.items[1].host", message: "unknown field (not in the schema)" },
      { path: "spec.items[1].port", message: "must be integer" },
      { path: "spec.labels.a/b~c", message: "must be string" },
    ]);
  });

  it("tells list indices from names that merely contain digits", () => {
    const items = Array.from({ length: 11 }, () => ({ port: 80 }));
    items[10] = { port: "x" } as unknown as { port: number };
    expect(validateWithSchema(schema, { spec: { name: "a", items, labels: { x2: 1, "2x": 2 } } })).toEqual([
      { path: "spec.items[10].port", message: "must be integer" },
      { path: "spec.labels.x2", message: "must be string" },
      { path: "spec.labels.2x", message: "must be string" },
    ]);
  });

  it("keeps the branch errors of oneOf (only anyOf's are condensed)", () => {
    expect(validateWithSchema({ oneOf: [{ type: "string" }, { type: "integer" }] }, true)).toEqual([
      { path: "", message: "must be string" },
      { path: "", message: "must be integer" },
      { path: "", message: "must match exactly one schema in oneOf" },
    ]);
  });

  it("reports an int-or-string inside an anyOf branch as well as the outer anyOf", () => {
    const nested = translateSchema({
      anyOf: [
        { type: "object", properties: { a: { "x-kubernetes-int-or-string": true } } },
        { type: "string" },
      ],
    });
    expect(validateWithSchema(nested, { a: true })).toEqual([
      { path: "a", message: "must be an integer or a string" },
      { path: "", message: "must be an integer or a string" },
    ]);
  });

  it("validates schemas the way CRDs write them: properties without type, required without properties", () => {
    expect(validateWithSchema({ properties: { a: { type: "string" } } }, { a: 1 })).toEqual([
      { path: "a", message: "must be string" },
    ]);
    expect(validateWithSchema({ type: "object", required: ["a"] }, {})).toEqual([
      { path: "a", message: "required field is missing" },
    ]);
  });

  it("ignores formats, without a warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(validateWithSchema({ type: "string", format: "date-time" }, "not a date")).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("reports a wrong type of the whole object at the empty path", () => {
    expect(validateWithSchema(schema, [])).toEqual([{ path: "", message: "must be object" }]);
    expect(validateWithSchema(schema, {})).toEqual([{ path: "spec", message: "required field is missing" }]);
  });
});

describe("validating against a CRD", () => {
  const crd = {
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.io" },
    spec: {
      versions: [
        {
          name: "v1",
          schema: { openAPIV3Schema: { type: "object", properties: { a: { type: "string" } } } },
        },
        {
          name: "v2",
          schema: { openAPIV3Schema: { type: "object", properties: { b: { type: "string" } } } },
        },
      ],
    },
  };

  it("uses the schema of the version asked for, every time", () => {
    expect(validateAgainstCrd(crd, "v1", { a: "x" })).toEqual([]);
    expect(validateAgainstCrd(crd, "v2", { a: "x" })).toEqual([
      { path: "a", message: "unknown field (not in the schema)" },
    ]);
    expect(validateAgainstCrd(crd, "v1", { b: "x" })).toEqual([
      { path: "b", message: "unknown field (not in the schema)" },
    ]);
    expect(validateAgainstCrd(crd, "v2", { b: 1 })).toEqual([{ path: "b", message: "must be string" }]);
  });
});

describe("the version of an apiVersion", () => {
  it.each([
    ["ray.io/v1", "v1"],
    ["kro.run/v1alpha1", "v1alpha1"],
    ["v1", "v1"],
    [undefined, ""],
    [null, ""],
  ])("%j → %j", (apiVersion, version) => {
    expect(versionOf(apiVersion)).toBe(version);
  });
});
