import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { convertSimpleSchema, parseSimpleField } from "../../src/core/kro/index.js";

describe("SimpleSchema → OpenAPI (what KRO puts in the generated CRD)", () => {
  it("types defaults by the field type: an integer default is a number, a string default a string", () => {
    expect(parseSimpleField("integer | default=1 minimum=1 maximum=8", "spec.n").schema).toEqual({
      type: "integer",
      default: 1,
      minimum: 1,
      maximum: 8,
    });
    expect(parseSimpleField('string | default="24Gi"', "spec.m").schema).toEqual({
      type: "string",
      default: "24Gi",
    });
    expect(parseSimpleField("boolean | default=false", "spec.b").schema.default).toBe(false);
    expect(parseSimpleField("float | default=0.5", "spec.f").schema).toEqual({
      type: "number",
      default: 0.5,
    });
  });

  it("reads quoted markers with spaces, enums, patterns and required", () => {
    const field = parseSimpleField(
      'string | required=true enum="small,large" pattern="^[a-z]+$" description="The size, in words"',
      "spec.size",
    );
    expect(field.required).toBe(true);
    expect(field.schema).toEqual({
      type: "string",
      enum: ["small", "large"],
      pattern: "^[a-z]+$",
      description: "The size, in words",
    });
  });

  it('keeps regex backslashes as KRO does, unescaping only \\" and \\\\', () => {
    const field = parseSimpleField(
      'string | pattern="^[a-z]+\\.[a-z]+$" description="say \\"hi\\""',
      "spec.host",
    );
    expect(field.schema.pattern).toBe("^[a-z]+\\.[a-z]+$");
    expect(field.schema.description).toBe('say "hi"');
  });

  it("supports KRO's length, item and rule markers", () => {
    expect(parseSimpleField("string | minLength=1 maxLength=40 immutable=true", "spec.s").schema).toEqual({
      type: "string",
      minLength: 1,
      maxLength: 40,
      "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "field is immutable" }],
    });
    expect(parseSimpleField("[]string | maxItems=3", "spec.a").schema.maxItems).toBe(3);
    expect(() => parseSimpleField("integer | maxLength=3", "spec.n")).toThrow(/only valid for string/);
    expect(() => parseSimpleField('boolean | enum="true,false"', "spec.b")).toThrow(/enum is only supported/);
  });

  it("builds nested objects, arrays and maps, listing required fields", () => {
    const schema = convertSimpleSchema({
      name: "string | required=true",
      ports: "[]integer",
      labels: "map[string]string",
      ingress: { enabled: "boolean | default=false", host: "string | required=true" },
    });
    expect(schema.required).toEqual(["name"]);
    expect(schema.properties?.ports).toEqual({ type: "array", items: { type: "integer" } });
    expect(schema.properties?.labels).toEqual({ type: "object", additionalProperties: { type: "string" } });
    expect(schema.properties?.ingress?.required).toEqual(["host"]);
  });

  it("rejects what KRO would reject instead of guessing", () => {
    expect(() => parseSimpleField("integer | default=abc", "spec.n")).toThrow(ConfigError);
    expect(() => parseSimpleField("integer | default=abc", "spec.n")).toThrow(/spec\.n.*not an integer/);
    expect(() => parseSimpleField("strin", "spec.s")).toThrow(/unsupported type "strin"/);
    expect(() => parseSimpleField("string | minimun=1", "spec.s")).toThrow(/unknown marker "minimun"/);
    expect(() => parseSimpleField('string | default="open', "spec.s")).toThrow(/unterminated quote/);
  });
});
