/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { applySchema, checkInstance, findInjections } from "../../src/core/kro/instance.js";
import type { OpenApiSchema } from "../../src/core/kro/simple-schema.js";

// What the API server would say about an instance (and what it would let through but must not).
function problemsOf(value: unknown, schema: OpenApiSchema, path = "spec"): string[] {
  const problems: string[] = [];
  applySchema(value, schema, path, problems);
  return problems;
}

describe("applySchema: leaves", () => {
  it("names the expected type, with an article", () => {
    expect(problemsOf("3", { type: "integer" })).toEqual(['spec must be an integer (got "3")']);
    expect(problemsOf(1.5, { type: "integer" })).toEqual(["spec must be an integer (got 1.5)"]);
    expect(problemsOf(3, { type: "string" })).toEqual(["spec must be a string (got 3)"]);
    expect(problemsOf(null, { type: "boolean" })).toEqual(["spec must be a boolean (got null)"]);
    expect(problemsOf([true], { type: "boolean" })).toEqual(["spec must be a boolean (got [true])"]);
    expect(problemsOf("x", { type: "number" })).toEqual(['spec must be a number (got "x")']);
  });

  it("properties or items without a type do not make an object or an array", () => {
    expect(problemsOf("x", { properties: { a: { type: "string" } } })).toEqual([]);
    expect(problemsOf("x", { items: { type: "integer" } })).toEqual([]);
  });

  it("a number field takes integers too; an untyped field takes anything", () => {
    expect(problemsOf(2, { type: "number" })).toEqual([]);
    expect(problemsOf(2.5, { type: "number" })).toEqual([]);
    expect(problemsOf([1], { type: "array" })).toEqual([]);
    expect(problemsOf(null, { type: "null" })).toEqual([]);
    expect(problemsOf({ a: 1 }, {})).toEqual([]);
  });

  it("checks minimum and maximum at the boundary", () => {
    const schema: OpenApiSchema = { type: "integer", minimum: 1, maximum: 5 };
    expect(problemsOf(1, schema)).toEqual([]);
    expect(problemsOf(5, schema)).toEqual([]);
    expect(problemsOf(0, schema)).toEqual(["spec must be at least 1 (got 0)"]);
    expect(problemsOf(6, schema)).toEqual(["spec must be at most 5 (got 6)"]);
  });

  it("applies minimum and maximum to numbers only", () => {
    expect(problemsOf("0", { minimum: 1 })).toEqual([]);
    expect(problemsOf("9", { maximum: 5 })).toEqual([]);
  });

  it("lists an enum's values", () => {
    const schema: OpenApiSchema = { type: "string", enum: ["web", "worker"] };
    expect(problemsOf("web", schema)).toEqual([]);
    expect(problemsOf("db", schema)).toEqual(['spec must be one of "web", "worker" (got "db")']);
  });

  it("checks string lengths at the boundary, for strings only", () => {
    const schema: OpenApiSchema = { type: "string", minLength: 2, maxLength: 3 };
    expect(problemsOf("ab", schema)).toEqual([]);
    expect(problemsOf("abc", schema)).toEqual([]);
    expect(problemsOf("a", schema)).toEqual(["spec must be at least 2 characters"]);
    expect(problemsOf("abcd", schema)).toEqual(["spec must be at most 3 characters (got 4)"]);
    expect(problemsOf([1], { minLength: 2 })).toEqual([]);
    expect(problemsOf([1, 2, 3, 4], { maxLength: 3 })).toEqual([]);
  });

  it("checks a pattern on strings only", () => {
    expect(problemsOf("abc", { type: "string", pattern: "^[a-z]+$" })).toEqual([]);
    expect(problemsOf("AB", { type: "string", pattern: "^[a-z]+$" })).toEqual([
      'spec "AB" does not match ^[a-z]+$',
    ]);
    expect(problemsOf(12, { pattern: "^[a-z]+$" })).toEqual([]);
  });
});

describe("applySchema: objects and arrays", () => {
  const schema: OpenApiSchema = {
    type: "object",
    required: ["image"],
    properties: {
      image: { type: "string" },
      replicas: { type: "integer", default: 2 },
      note: { type: "string" },
      ports: { type: "array", items: { type: "integer", minimum: 1 } },
    },
  };

  it("applies defaults and leaves out optional fields without one", () => {
    const problems: string[] = [];
    expect(applySchema({ image: "nginx" }, schema, "spec", problems)).toStrictEqual({
      image: "nginx",
      replicas: 2,
    });
    expect(problems).toEqual([]);
    expect(applySchema({ image: "nginx", replicas: 4, note: "n" }, schema, "spec", [])).toStrictEqual({
      image: "nginx",
      replicas: 4,
      note: "n",
    });
  });

  it("names every problem at once: required, unknown, and each array item by index", () => {
    expect(problemsOf({ imag: "x", ports: [80, 0, "a"] }, schema)).toEqual([
      "spec.imag is not a field of this kind (known: image, replicas, note, ports)",
      "spec.image is required",
      "spec.ports[1] must be at least 1 (got 0)",
      'spec.ports[2] must be an integer (got "a")',
    ]);
  });

  it("refuses a non-object where an object is expected, and a non-array where an array is", () => {
    expect(problemsOf("x", schema)).toEqual(["spec must be an object"]);
    expect(problemsOf(null, schema)).toEqual(["spec must be an object"]);
    expect(problemsOf(["image"], schema)).toEqual(["spec must be an object"]);
    expect(problemsOf({ image: "i", ports: 80 }, schema)).toEqual(["spec.ports must be an array"]);
  });

  it("returns array items with their nested defaults", () => {
    const list: OpenApiSchema = {
      type: "array",
      items: { type: "object", properties: { n: { type: "integer", default: 1 } } },
    };
    expect(applySchema([{}, { n: 3 }], list, "spec.xs", [])).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("an object without listed properties (preserve unknown fields) is only type-checked", () => {
    const open: OpenApiSchema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    expect(applySchema({ any: "thing" }, open, "spec.extra", [])).toEqual({ any: "thing" });
    expect(problemsOf([], { type: "array" })).toEqual([]);
  });
});

describe("findInjections", () => {
  it("finds every string containing ${, by path", () => {
    expect(
      findInjections({ a: "ok", b: ["x", "${y}"], c: { d: "a${b}c", e: 3, f: null }, g: "$ {no}" }, ""),
    ).toEqual([".b[1]", ".c.d"]);
    expect(findInjections("${x}", "spec")).toEqual(["spec"]);
    expect(findInjections("$x", "spec")).toEqual([]);
  });
});

describe("checkInstance", () => {
  const spec: OpenApiSchema = {
    type: "object",
    properties: { size: { type: "string", default: "small" } },
  };

  it("returns the spec with defaults, also when the instance has none", () => {
    expect(checkInstance({ kind: "Web", metadata: { name: "a" } }, "Web", spec)).toEqual({ size: "small" });
  });

  it("throws one UsageError listing every problem, one per line", () => {
    let error: unknown;
    try {
      checkInstance(
        { kind: "Other", metadata: { name: "", namespace: "${x}" }, spec: { size: "${y}", colour: 1 } },
        "Web",
        spec,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const problems = [
      'kind must be Web (got "Other")',
      "metadata.name is required",
      'metadata.namespace contains "${", which KRO would evaluate as an expression',
      'spec.size contains "${", which KRO would evaluate as an expression',
      "spec.colour is not a field of this kind (known: size)",
    ];
    expect((error as UsageError).message).toBe(`Invalid Web:\n  - ${problems.join("\n  - ")}`);
    expect((error as UsageError).code).toBe("invalid-instance");
    expect((error as UsageError).details).toEqual({ problems });
  });

  it("requires a string name", () => {
    expect(() => checkInstance({ kind: "Web", metadata: { name: 3 } }, "Web", spec)).toThrow(
      "Invalid Web:\n  - metadata.name is required",
    );
    expect(() => checkInstance({ kind: "Web" }, "Web", spec)).toThrow(
      "Invalid Web:\n  - metadata.name is required",
    );
  });
});
