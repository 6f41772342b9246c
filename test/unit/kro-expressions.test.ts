/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import {
  containsExpression,
  evaluateExpression,
  splitExpressions,
  substituteDeep,
  substituteString,
  Unresolved,
} from "../../src/core/kro/expressions.js";

const scope = {
  schema: {
    metadata: { name: "shop" },
    spec: { n: 2, name: "web", flag: true, empty: "", nothing: null, nested: { k: "v" } },
    status: { phase: "Ready" },
  },
  deployment: { metadata: { name: "shop-web" }, status: { ready: 1 } },
};

function unresolved(expression: string) {
  const result = evaluateExpression(expression, scope);
  expect(result).toBeInstanceOf(Unresolved);
  return (result as Unresolved).expression;
}

describe("splitExpressions", () => {
  it("keeps plain text as one literal segment, and an empty string as none", () => {
    expect(splitExpressions("plain $text {x}")).toEqual([{ text: "plain $text {x}", expression: false }]);
    expect(splitExpressions("")).toEqual([]);
  });

  it("trims the CEL source of a standalone expression", () => {
    expect(splitExpressions("${ schema.spec.n }")).toEqual([{ text: "schema.spec.n", expression: true }]);
  });

  it("splits adjacent expressions and the text around them", () => {
    expect(splitExpressions("${a}${b}-c")).toEqual([
      { text: "a", expression: true },
      { text: "b", expression: true },
      { text: "-c", expression: false },
    ]);
  });

  it('an escaped quote inside a CEL string does not end it (a "}" after it stays inside)', () => {
    expect(splitExpressions('${"a\\"}"} z')).toEqual([
      { text: '"a\\"}"', expression: true },
      { text: " z", expression: false },
    ]);
  });

  it("names the unterminated expression, at most 60 characters of it", () => {
    expect(() => splitExpressions("echo ${HOME")).toThrow(
      new ConfigError('Unterminated ${ expression in "${HOME"'),
    );
    const long = `\${${"x".repeat(100)}`;
    expect(() => splitExpressions(long)).toThrow(`Unterminated \${ expression in "\${${"x".repeat(58)}"`);
  });
});

describe("containsExpression", () => {
  it("is true only for ${", () => {
    expect(containsExpression("a ${b}")).toBe(true);
    expect(containsExpression("$b {c}")).toBe(false);
  });
});

describe("evaluateExpression: literals, calls and paths", () => {
  it("reads double- and single-quoted strings with their escapes", () => {
    expect(evaluateExpression('"a\\"b"', scope)).toBe('a"b');
    expect(evaluateExpression("'it\\'s'", scope)).toBe("it's");
    expect(evaluateExpression('""', scope)).toBe("");
    expect(evaluateExpression("  'x'  ", scope)).toBe("x");
  });

  it("reads integers, negative ones too, and nothing else as a number", () => {
    expect(evaluateExpression("42", scope)).toBe(42);
    expect(evaluateExpression("-3", scope)).toBe(-3);
    expect(unresolved("4.5")).toBe("4.5");
    expect(unresolved("1a")).toBe("1a");
  });

  it("string() turns a scalar into text, and leaves objects and unresolved values unresolved", () => {
    expect(evaluateExpression("string(3)", scope)).toBe("3");
    expect(evaluateExpression("string(schema.spec.flag)", scope)).toBe("true");
    expect(evaluateExpression("string(schema.spec.nothing)", scope)).toBe("null");
    expect(unresolved("string(schema.spec.nested)")).toBe("string(schema.spec.nested)");
    expect(unresolved("string(deployment.status.ready)")).toBe("string(deployment.status.ready)");
  });

  it("follows a field path through the schema and rendered resources", () => {
    expect(evaluateExpression("schema.spec.n", scope)).toBe(2);
    expect(evaluateExpression("schema.metadata.name", scope)).toBe("shop");
    expect(evaluateExpression("schema.spec.nested", scope)).toEqual({ k: "v" });
    expect(evaluateExpression("deployment.metadata.name", scope)).toBe("shop-web");
    expect(evaluateExpression("schema.status.phase", scope)).toBe("Ready");
  });

  it("reads only a whole field path, never the part of one that looks like a path", () => {
    const odd = { "my-res": { metadata: { name: "x" } }, schema: { spec: { "a-b": 1 } } };
    expect(evaluateExpression("my-res.metadata.name", odd)).toBeInstanceOf(Unresolved);
    expect(evaluateExpression("schema.spec.a-b", odd)).toBeInstanceOf(Unresolved);
  });

  it("a quoted string is a literal only when it is the whole expression", () => {
    expect(unresolved('x"a"')).toBe('x"a"');
    expect(unresolved('"a"x')).toBe('"a"x');
    expect(unresolved("x'a'")).toBe("x'a'");
    expect(unresolved("'a'x")).toBe("'a'x");
  });

  it("a bare name not in scope is unresolved", () => {
    expect(unresolved("nothing")).toBe("nothing");
  });

  it("string() is a call only when it is the whole expression", () => {
    expect(unresolved("string(3)x")).toBe("string(3)x");
    expect(unresolved("tostring(3)")).toBe("tostring(3)");
    expect(unresolved("string(3).size()")).toBe("string(3).size()");
  });

  it("leaves a resource's status, unknown roots and missing fields unresolved", () => {
    expect(unresolved("deployment.status.ready")).toBe("deployment.status.ready");
    expect(unresolved("service.metadata.name")).toBe("service.metadata.name");
    expect(unresolved("schema.spec.missing")).toBe("schema.spec.missing");
    expect(unresolved("schema.spec.nothing.x")).toBe("schema.spec.nothing.x");
    expect(unresolved("schema.spec.name.length")).toBe("schema.spec.name.length");
    expect(unresolved("schema.spec.?n")).toBe("schema.spec.?n");
    expect(unresolved("schema..spec")).toBe("schema..spec");
    expect(unresolved("1schema.spec")).toBe("1schema.spec");
  });
});

describe("evaluateExpression: operators", () => {
  it("a ternary picks its branch from a boolean condition", () => {
    expect(evaluateExpression('schema.spec.flag ? "on" : "off"', scope)).toBe("on");
    expect(evaluateExpression('schema.spec.n == 3 ? "three" : schema.spec.name', scope)).toBe("web");
  });

  it("a ternary inside brackets or braces does not split the outer one", () => {
    expect(evaluateExpression('schema.spec.n == 3 ? [1 ? 2 : 3] : "b"', scope)).toBe("b");
    expect(evaluateExpression('schema.spec.n == 3 ? {1 ? 2 : 3} : "b"', scope)).toBe("b");
  });

  it("a ternary inside a call does not split the outer one", () => {
    expect(evaluateExpression('schema.spec.flag ? string(schema.spec.n == 2 ? 1 : 0) : "no"', scope)).toBe(
      "1",
    );
    expect(
      evaluateExpression('schema.spec.empty == "x" ? "a" : string(schema.spec.flag ? 7 : 8)', scope),
    ).toBe("7");
  });

  it("a ternary without a colon, or with a condition that is not a boolean, is unresolved", () => {
    expect(unresolved('schema.spec.flag ? "on"')).toBe('schema.spec.flag ? "on"');
    expect(unresolved('schema.spec.n ? "a" : "b"')).toBe('schema.spec.n ? "a" : "b"');
    expect(unresolved('deployment.status.ready == 1 ? "a" : "b"')).toBe(
      'deployment.status.ready == 1 ? "a" : "b"',
    );
  });

  it("== and != compare values", () => {
    expect(evaluateExpression("schema.spec.n == 2", scope)).toBe(true);
    expect(evaluateExpression("schema.spec.n == 3", scope)).toBe(false);
    expect(evaluateExpression('schema.spec.name != "web"', scope)).toBe(false);
    expect(evaluateExpression('schema.spec.empty != "web"', scope)).toBe(true);
    expect(unresolved("deployment.status.ready != 1")).toBe("deployment.status.ready != 1");
    expect(unresolved("1 == deployment.status.ready")).toBe("1 == deployment.status.ready");
  });

  it("+ adds integers and joins strings, binding tighter than ==", () => {
    expect(evaluateExpression('"a" + "b" == "ab"', scope)).toBe(true);
    expect(evaluateExpression("schema.spec.n + 40", scope)).toBe(42);
    expect(evaluateExpression('schema.spec.name + "-" + schema.metadata.name', scope)).toBe("web-shop");
    expect(unresolved('"n" + 1')).toBe('"n" + 1');
    expect(unresolved('1 + "n"')).toBe('1 + "n"');
    expect(unresolved("deployment.status.ready + 1")).toBe("deployment.status.ready + 1");
  });

  it("operators inside brackets or quotes do not split the expression", () => {
    expect(evaluateExpression("string(schema.spec.n == 2)", scope)).toBe("true");
    expect(evaluateExpression('"x == y"', scope)).toBe("x == y");
    expect(evaluateExpression("'a + b'", scope)).toBe("a + b");
    expect(evaluateExpression('"q\\" == " + "r"', scope)).toBe('q" == r');
    expect(unresolved("[1, 2 + 3]")).toBe("[1, 2 + 3]");
    expect(unresolved("{a: 1 == 1}")).toBe("{a: 1 == 1}");
  });

  it("operators need a space each side", () => {
    expect(unresolved("schema.spec.n==2")).toBe("schema.spec.n==2");
    expect(unresolved("schema.spec.n+1")).toBe("schema.spec.n+1");
  });
});

describe("substituteString: KRO's standalone and template rules", () => {
  it("a string without ${ is itself", () => {
    expect(substituteString("plain", scope, "x")).toEqual({ value: "plain", unresolved: [] });
    expect(substituteString("", scope, "x")).toEqual({ value: "", unresolved: [] });
  });

  it("a standalone expression keeps its type; unresolved, the string stays as written", () => {
    expect(substituteString("${schema.spec.n}", scope, "x")).toEqual({ value: 2, unresolved: [] });
    expect(substituteString("${ deployment.status.ready }", scope, "x")).toEqual({
      value: "${ deployment.status.ready }",
      unresolved: ["deployment.status.ready"],
    });
  });

  it("a template joins its strings and keeps what it cannot resolve as ${...}", () => {
    expect(substituteString("${schema.spec.name}${schema.metadata.name}", scope, "x")).toEqual({
      value: "webshop",
      unresolved: [],
    });
    expect(substituteString("a-${ deployment.status.ready }-${schema.spec.name}", scope, "x")).toEqual({
      value: "a-${deployment.status.ready}-web",
      unresolved: ["deployment.status.ready"],
    });
  });

  it("a non-string inside a template is the RGD's error, named with where it is", () => {
    expect(() => substituteString("n-${schema.spec.n}", scope, "deployment.metadata.name")).toThrow(
      new ConfigError(
        "deployment.metadata.name: ${schema.spec.n} returns number inside a string template; KRO requires a string (wrap it in string())",
      ),
    );
    expect(() => substituteString("${schema.spec.flag}!", scope, "w")).toThrow(
      "w: ${schema.spec.flag} returns boolean inside a string template",
    );
  });
});

describe("substituteDeep", () => {
  it("walks arrays and objects, substitutes values but not keys, and collects what is unresolved", () => {
    const found: string[] = [];
    const out = substituteDeep(
      {
        "${schema.spec.name}": "${schema.spec.n}",
        list: ["${schema.metadata.name}", 3, null, true, "${deployment.status.ready}"],
        nested: { s: "${deployment.status.ready}" },
      },
      scope,
      "r",
      found,
    );
    expect(out).toEqual({
      "${schema.spec.name}": 2,
      list: ["shop", 3, null, true, "${deployment.status.ready}"],
      nested: { s: "${deployment.status.ready}" },
    });
    expect(found).toEqual(["deployment.status.ready", "deployment.status.ready"]);
  });

  it("names an array item by index and an object field by key in its errors", () => {
    expect(() => substituteDeep({ a: ["ok", "x${schema.spec.n}"] }, scope, "r", [])).toThrow(
      "r.a[1]: ${schema.spec.n} returns number",
    );
  });
});
