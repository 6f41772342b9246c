import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { convertSimpleSchema, parseSimpleField } from "../../src/core/kro/simple-schema.js";

// SimpleSchema as KRO reads it (website/docs/docs/concepts/10-simple-schema.md, pkg/simpleschema).
const schemaOf = (spec: string) => parseSimpleField(spec, "spec.f").schema;
const refusal = (spec: string) => () => parseSimpleField(spec, "spec.f");

describe("SimpleSchema types", () => {
  it("a bare type has no markers and is optional", () => {
    expect(parseSimpleField("string", "spec.f")).toStrictEqual({
      schema: { type: "string" },
      required: false,
    });
    expect(schemaOf(" boolean ")).toStrictEqual({ type: "boolean" });
    expect(schemaOf("number")).toStrictEqual({ type: "number" });
    expect(schemaOf("object")).toStrictEqual({
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
  });

  it("nests lists and maps", () => {
    expect(schemaOf("[][]integer")).toStrictEqual({
      type: "array",
      items: { type: "array", items: { type: "integer" } },
    });
    expect(schemaOf("map[string][]float")).toStrictEqual({
      type: "object",
      additionalProperties: { type: "array", items: { type: "number" } },
    });
  });

  it("refuses a type it does not know, naming it", () => {
    expect(refusal("map[string]")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": unsupported type "map[string]"'),
    );
    expect(refusal("[]strin")).toThrow('SimpleSchema field "spec.f": unsupported type "strin"');
    expect(refusal("xmap[string]string")).toThrow('unsupported type "xmap[string]string"');
    expect(refusal("map[string]string\nx")).toThrow('unsupported type "map[string]string\nx"');
    expect(refusal("| required=true")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": unsupported type ""'),
    );
  });
});

describe("SimpleSchema markers", () => {
  it("reads markers separated by any number of spaces", () => {
    expect(schemaOf("integer |   minimum=1    maximum=1.5  ")).toStrictEqual({
      type: "integer",
      minimum: 1,
      maximum: 1.5,
    });
  });

  it("a marker's name may have spaces before its =", () => {
    expect(schemaOf("integer | minimum =1")).toStrictEqual({ type: "integer", minimum: 1 });
  });

  it("only required=true makes a field required", () => {
    expect(parseSimpleField("string | required=true", "spec.f").required).toBe(true);
    expect(parseSimpleField("string | required=false", "spec.f").required).toBe(false);
    expect(parseSimpleField("string | required=yes", "spec.f").required).toBe(false);
  });

  it('a quoted value keeps its spaces and other escapes, and loses the backslash of \\\\ and \\"', () => {
    expect(schemaOf('string | description="a \\\\ b \\d \\"c\\"" pattern=x')).toStrictEqual({
      type: "string",
      description: 'a \\ b \\d "c"',
      pattern: "x",
    });
    expect(schemaOf('string | description=""')).toStrictEqual({ type: "string", description: "" });
  });

  it("two escaped backslashes are two backslashes", () => {
    expect(schemaOf('string | description="\\\\\\\\"').description).toBe("\\\\");
  });

  it("a marker with no name is an unknown marker", () => {
    expect(refusal("string |=x")).toThrow(new ConfigError('SimpleSchema field "spec.f": unknown marker ""'));
  });

  it("refuses a marker without =, an unterminated quote and an unknown marker", () => {
    expect(refusal("string | required")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": marker without "=" in " required"'),
    );
    expect(refusal('string | description="open')).toThrow(
      new ConfigError('SimpleSchema field "spec.f": unterminated quote'),
    );
    expect(refusal("string | colour=red")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": unknown marker "colour"'),
    );
  });

  it("accepts uniqueItems (recorded by KRO for the API server) without changing the schema", () => {
    expect(schemaOf("[]string | uniqueItems=true")).toStrictEqual({
      type: "array",
      items: { type: "string" },
    });
  });

  it("minimum and maximum must be numbers", () => {
    expect(refusal("integer | minimum=x")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": minimum "x" is not a number'),
    );
    expect(refusal("integer | maximum=y")).toThrow(
      'SimpleSchema field "spec.f": maximum "y" is not a number',
    );
  });

  it("lengths are for strings, item counts for arrays, both whole numbers", () => {
    expect(schemaOf("[]string | minItems=1 maxItems=3")).toStrictEqual({
      type: "array",
      items: { type: "string" },
      minItems: 1,
      maxItems: 3,
    });
    expect(refusal("string | minItems=1")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": minItems is only valid for array types'),
    );
    expect(refusal("string | minLength=1.5")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": minLength "1.5" is not an integer'),
    );
    expect(refusal("string | maxLength=x3")).toThrow('maxLength "x3" is not an integer');
    expect(refusal("string | maxLength=3x")).toThrow('maxLength "3x" is not an integer');
  });

  it("immutable and validation become CEL rules for the API server, in that order", () => {
    expect(schemaOf('string | validation="self.size() > 0" immutable=true')).toStrictEqual({
      type: "string",
      "x-kubernetes-validations": [
        { rule: "self == oldSelf", message: "field is immutable" },
        { rule: "self.size() > 0", message: "validation failed" },
      ],
    });
    expect(schemaOf("string | immutable=false")).toStrictEqual({ type: "string" });
  });

  it("an integer enum is a list of integers", () => {
    expect(schemaOf('integer | enum="1, 2,3"')).toStrictEqual({ type: "integer", enum: [1, 2, 3] });
    expect(refusal('integer | enum="1,x"')).toThrow(
      new ConfigError('SimpleSchema field "spec.f": enum value "x" is not an integer'),
    );
    expect(refusal('float | enum="1,2"')).toThrow(
      new ConfigError('SimpleSchema field "spec.f": enum is only supported for string and integer types'),
    );
  });
});

describe("SimpleSchema defaults", () => {
  it("are converted to the field's type", () => {
    expect(schemaOf("integer | default=-2").default).toBe(-2);
    expect(schemaOf("boolean | default=true").default).toBe(true);
    expect(schemaOf("number | default=1e3").default).toBe(1000);
    expect(schemaOf("string | default=7").default).toBe("7");
  });

  it("refuse what is not of the type", () => {
    expect(refusal("integer | default=1.5")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": default "1.5" is not an integer'),
    );
    expect(refusal("integer | default=x1")).toThrow('default "x1" is not an integer');
    expect(refusal("integer | default=1x")).toThrow('default "1x" is not an integer');
    expect(refusal("float | default=abc")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": default "abc" is not a number'),
    );
    expect(refusal("boolean | default=yes")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": default must be true or false'),
    );
  });

  it("of lists and maps are JSON, as KRO passes them through", () => {
    expect(schemaOf('[]string | default=["g5","g6"]').default).toEqual(["g5", "g6"]);
    expect(schemaOf('map[string]integer | default={"a":1}').default).toEqual({ a: 1 });
    expect(refusal("[]string | default=[g5")).toThrow(
      new ConfigError('SimpleSchema field "spec.f": default [g5 is not JSON'),
    );
  });
});

describe("convertSimpleSchema", () => {
  it("lists required only when a field is required", () => {
    expect(convertSimpleSchema({ a: "string" })).toStrictEqual({
      type: "object",
      properties: { a: { type: "string" } },
    });
  });

  it("names the path of what is not a mapping of fields", () => {
    expect(() => convertSimpleSchema("string")).toThrow(
      new ConfigError('SimpleSchema at "spec" must be a mapping of fields'),
    );
    expect(() => convertSimpleSchema(null, "x")).toThrow('SimpleSchema at "x" must be a mapping of fields');
    expect(() => convertSimpleSchema({ a: { b: ["string"] } })).toThrow(
      'SimpleSchema at "spec.a.b" must be a mapping of fields',
    );
    expect(() => convertSimpleSchema({ a: { b: "strin" } })).toThrow(
      'SimpleSchema field "spec.a.b": unsupported type',
    );
  });
});
