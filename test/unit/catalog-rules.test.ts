import { describe, expect, it } from "vitest";
import {
  CATALOG_NAME_PATTERN,
  type CatalogModel,
  findCatalogModel,
  GPU_FAMILIES,
  parseCatalog,
  suggestCatalogNames,
} from "../../src/core/catalog/index.js";
import { ConfigError } from "../../src/core/errors.js";
import { catalogEntry as entry, catalogText as yamlOf } from "../support/catalog-entry.js";

/** The problems of a catalog that must not parse, one per line as the error lists them. */
function problemsOf(text: string): string[] {
  try {
    parseCatalog(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const [first, ...rest] = (error as Error).message.split("\n  - ");
    expect(first).toMatch(/^The model catalog has \d+ problem\(s\):$/);
    return rest;
  }
  throw new Error("the catalog parsed");
}

const one = (over: Record<string, unknown>) => problemsOf(yamlOf([entry(over)]));

describe("parseCatalog: every rule of an entry, in the words the error uses", () => {
  it("names the GPU families g5, g6 and g6e in that order", () => {
    expect(GPU_FAMILIES).toEqual(["g5", "g6", "g6e"]);
  });

  it("counts the problems, lists each on its own line and points at templates/models.yaml", () => {
    let error: unknown;
    try {
      parseCatalog(yamlOf([entry({ description: "" }), entry({ name: "b", gated: 1 })]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "The model catalog has 2 problem(s):\n  - models[0] (gemma-4b): description is required\n  - models[1] (b): gated must be true or false",
    );
    expect((error as ConfigError).hint).toBe("Fix templates/models.yaml");
  });

  it("wants each entry to be a mapping", () => {
    expect(problemsOf(yamlOf([null, "gemma-4b", [1, 2], entry()]))).toEqual([
      "models[0]: must be a mapping",
      "models[1]: must be a mapping",
      "models[2]: must be a mapping",
    ]);
  });

  it("labels an entry without a string name by its index only", () => {
    expect(one({ name: 7 })).toEqual([
      'models[0]: name must be lowercase letters, digits and "-" (at most 40), got 7',
    ]);
    expect(one({ name: undefined })).toEqual([
      'models[0]: name must be lowercase letters, digits and "-" (at most 40), got undefined',
    ]);
  });

  it("takes names of 1 to 40 characters that start with a letter and do not end with '-'", () => {
    for (const good of ["a", "ab", "a1", "q-2-b", "a".repeat(40)]) {
      expect(parseCatalog(yamlOf([entry({ name: good })]))[0]?.name).toBe(good);
    }
    for (const bad of ["", "a".repeat(41), "1a", "-a", "a-", "ab_c", "aB", "a b", "a.b", "xa\nb"]) {
      expect(one({ name: bad })).toEqual([
        `models[0] (${bad}): name must be lowercase letters, digits and "-" (at most 40), got ${JSON.stringify(bad)}`,
      ]);
    }
    expect(CATALOG_NAME_PATTERN.test("gemma-4b")).toBe(true);
    expect(CATALOG_NAME_PATTERN.test("x-gemma-4b-")).toBe(false);
  });

  it("wants the model as a HuggingFace id", () => {
    for (const good of ["org/name", "name", "A.b_c-9/Z.y-x_1", "0rg/9"]) {
      expect(parseCatalog(yamlOf([entry({ model: good })]))[0]?.model).toBe(good);
    }
    for (const bad of [
      "",
      "org/",
      "/name",
      "a/b/c",
      "-org/x",
      "org/.x",
      "org/x y",
      "org name",
      " org/x",
      4,
    ]) {
      expect(one({ model: bad })).toEqual([
        `models[0] (gemma-4b): model must be a HuggingFace id like org/name, got ${JSON.stringify(bad)}`,
      ]);
    }
  });

  it("wants a description, and a positive parametersB", () => {
    expect(one({ description: undefined })).toEqual(["models[0] (gemma-4b): description is required"]);
    expect(one({ description: 5 })).toEqual(["models[0] (gemma-4b): description is required"]);
    for (const bad of [0, -2, "4", null]) {
      expect(one({ parametersB: bad })).toEqual([
        "models[0] (gemma-4b): parametersB must be a positive number",
      ]);
    }
    expect(parseCatalog(yamlOf([entry({ parametersB: 0.5 })]))[0]?.parametersB).toBe(0.5);
  });

  it("wants the five sizes as positive integers", () => {
    for (const key of ["defaultMaxModelLen", "contextLimit", "layers", "kvHeads", "headDim"]) {
      for (const bad of [0, -1, 1.5, "8"]) {
        const problems = one({ [key]: bad });
        expect(problems[0]).toBe(
          `models[0] (gemma-4b): ${key} must be a positive integer, got ${JSON.stringify(bad)}`,
        );
        expect(problems).toHaveLength(1);
      }
      expect(parseCatalog(yamlOf([entry({ [key]: 1, defaultMaxModelLen: 1 })]))).toHaveLength(1);
    }
  });

  it("lets defaultMaxModelLen equal contextLimit but not exceed it", () => {
    expect(parseCatalog(yamlOf([entry({ defaultMaxModelLen: 32768, contextLimit: 32768 })]))).toHaveLength(1);
    expect(one({ defaultMaxModelLen: 32769, contextLimit: 32768 })).toEqual([
      "models[0] (gemma-4b): defaultMaxModelLen 32769 exceeds contextLimit 32768",
    ]);
    // Only the invalid size is reported when the other is not a positive integer.
    expect(one({ defaultMaxModelLen: 32769, contextLimit: "x" })).toEqual([
      'models[0] (gemma-4b): contextLimit must be a positive integer, got "x"',
    ]);
    expect(one({ defaultMaxModelLen: 2.5, contextLimit: 2 })).toEqual([
      "models[0] (gemma-4b): defaultMaxModelLen must be a positive integer, got 2.5",
    ]);
    expect(one({ defaultMaxModelLen: 2, contextLimit: 1.5 })).toEqual([
      "models[0] (gemma-4b): contextLimit must be a positive integer, got 1.5",
    ]);
    expect(one({ defaultMaxModelLen: "x", contextLimit: 8 })).toEqual([
      'models[0] (gemma-4b): defaultMaxModelLen must be a positive integer, got "x"',
    ]);
  });

  it("wants gated as a boolean", () => {
    expect(one({ gated: "yes" })).toEqual(["models[0] (gemma-4b): gated must be true or false"]);
    expect(parseCatalog(yamlOf([entry({ gated: false })]))[0]?.gated).toBe(false);
  });

  it("wants gpus to map each family to 1, 2, 4, 8 or null", () => {
    const missing = "models[0] (gemma-4b): gpus must map g5, g6 and g6e to 1, 2, 4, 8 or null";
    expect(one({ gpus: null })).toEqual([missing]);
    expect(one({ gpus: undefined })).toEqual([missing]);
    expect(one({ gpus: 4 })).toEqual([missing]);
    expect(one({ gpus: { g5: 3, g6: "2", g6e: 16 } })).toEqual([
      "models[0] (gemma-4b): gpus.g5 must be 1, 2, 4, 8 or null, got 3",
      'models[0] (gemma-4b): gpus.g6 must be 1, 2, 4, 8 or null, got "2"',
      "models[0] (gemma-4b): gpus.g6e must be 1, 2, 4, 8 or null, got 16",
    ]);
    expect(one({ gpus: { g5: 1, g6: 0 } })).toEqual([
      "models[0] (gemma-4b): gpus.g6 must be 1, 2, 4, 8 or null, got 0",
      "models[0] (gemma-4b): gpus.g6e must be 1, 2, 4, 8 or null, got undefined",
    ]);
    for (const n of [1, 2, 4, 8, null]) {
      expect(parseCatalog(yamlOf([entry({ gpus: { g5: n, g6: n, g6e: n } })]))[0]?.gpus).toEqual({
        g5: n,
        g6: n,
        g6e: n,
      });
    }
  });

  it("keeps only the three families of gpus and every field of a valid entry", () => {
    const [model] = parseCatalog(yamlOf([entry({ gpus: { g5: 2, g6: 4, g6e: 1, p5: 8 } })]));
    expect(model).toStrictEqual({
      name: "gemma-4b",
      model: "google/gemma-3-4b-it",
      description: "Gemma 3 4B",
      parametersB: 4.3,
      defaultMaxModelLen: 8192,
      contextLimit: 131072,
      gated: true,
      gpus: { g5: 2, g6: 4, g6e: 1 },
      layers: 34,
      kvHeads: 4,
      headDim: 256,
    });
  });

  it("reports a duplicate by the index of the second entry, and skips invalid entries", () => {
    expect(problemsOf(yamlOf([entry(), entry({ name: "x" }), entry()]))).toEqual([
      'models[2]: duplicate name "gemma-4b"',
    ]);
    expect(problemsOf(yamlOf([entry({ gated: 0 }), entry()]))).toEqual([
      "models[0] (gemma-4b): gated must be true or false",
    ]);
  });

  it("reads an empty list, and explains a file that is not a catalog", () => {
    expect(parseCatalog("models: []\n")).toEqual([]);
    expect(() => parseCatalog("")).toThrow(
      new ConfigError("The model catalog must have a top-level `models:` list"),
    );
    expect(() => parseCatalog("models: {a: 1}\n")).toThrow(
      /^The model catalog must have a top-level `models:` list$/,
    );
    let error: unknown;
    try {
      parseCatalog("models: [1, 2");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^The model catalog is not valid YAML: \S/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

const model = (name: string, id: string): CatalogModel => ({
  name,
  model: id,
  description: name,
  parametersB: 1,
  defaultMaxModelLen: 8192,
  contextLimit: 8192,
  gated: false,
  gpus: { g5: 1, g6: 1, g6e: 1 },
  layers: 1,
  kvHeads: 1,
  headDim: 1,
});

describe("findCatalogModel", () => {
  const catalog = [model("alpha", "org/beta-1"), model("beta-1", "org/Alpha-2")];

  it("prefers a short name over a HuggingFace id, trims and ignores case", () => {
    expect(findCatalogModel(catalog, "  BETA-1 ")?.name).toBe("beta-1");
    expect(findCatalogModel(catalog, "alpha")?.name).toBe("alpha");
    expect(findCatalogModel(catalog, "ORG/alpha-2")?.name).toBe("beta-1");
    expect(findCatalogModel(catalog, "org/beta-1")?.name).toBe("alpha");
    expect(findCatalogModel(catalog, "org")).toBeUndefined();
  });
});

describe("suggestCatalogNames", () => {
  it("suggests nothing for an empty name", () => {
    expect(suggestCatalogNames([model("a", "o/a")], "   ")).toEqual([]);
  });

  it("allows 2 edits for names under 9 characters, then one more per 3 characters", () => {
    const catalog = [model("abcdefgh", "o/x"), model("abcdefghijkl", "o/y")];
    // "abcdefxx" is 2 edits from abcdefgh (limit 2), "abcdexxx" 3.
    expect(suggestCatalogNames(catalog, "abcdefxx")).toEqual(["abcdefgh"]);
    expect(suggestCatalogNames(catalog, "abcdexxx")).toEqual([]);
    // 9 characters: limit 3; "abcdexxxh" is 3 edits from abcdefgh (two substitutions and an insertion).
    expect(suggestCatalogNames(catalog, "abcdexxxh")).toEqual(["abcdefgh"]);
    expect(suggestCatalogNames(catalog, "abxdexxxh")).toEqual([]);
    // 12 characters: limit 4.
    // Both are 4 edits away: the tie is broken by name.
    expect(suggestCatalogNames(catalog, "abcdefghxxxx")).toEqual(["abcdefgh", "abcdefghijkl"]);
    expect(suggestCatalogNames(catalog, "abcdefgxxxxx")).toEqual([]);
  });

  it("counts insertions, deletions and substitutions as one edit each", () => {
    const catalog = [model("kitten", "o/k")];
    expect(suggestCatalogNames(catalog, "sitten")).toEqual(["kitten"]);
    expect(suggestCatalogNames(catalog, "kittn")).toEqual(["kitten"]);
    expect(suggestCatalogNames(catalog, "kittens")).toEqual(["kitten"]);
    expect(suggestCatalogNames(catalog, "sittn")).toEqual(["kitten"]);
    // kitten → sitting: 3 edits, over the limit of 2 for 7 characters.
    expect(suggestCatalogNames(catalog, "sitting")).toEqual([]);
    expect(suggestCatalogNames(catalog, "kit")).toEqual(["kitten"]);
    expect(suggestCatalogNames(catalog, "kx")).toEqual([]);
    // Spaces around the name are not edits.
    expect(suggestCatalogNames(catalog, "  kittn  ")).toEqual(["kitten"]);
  });

  it("scores a name equal but for punctuation first, and a part of a name or id like one edit", () => {
    const catalog = [
      model("llama-3-8b", "meta/Llama-3-8B"),
      model("llama-3-1b", "meta/llama-3-1b"),
      model("zeta", "lab/Mistral-7b"),
    ];
    expect(suggestCatalogNames(catalog, "llama38b")).toEqual(["llama-3-8b"]);
    expect(suggestCatalogNames(catalog, "LLAMA")).toEqual(["llama-3-1b", "llama-3-8b"]);
    expect(suggestCatalogNames(catalog, "mistral")).toEqual(["zeta"]);
    // "llama-3-xb" is one edit from both; the tie is broken by name.
    expect(suggestCatalogNames(catalog, "llama-3-xb")).toEqual(["llama-3-1b", "llama-3-8b"]);
    expect(suggestCatalogNames(catalog, "llama-3-8")).toEqual(["llama-3-8b", "llama-3-1b"]);
  });

  it("finds a name typed with other punctuation even when it is many edits away", () => {
    // "l-l-a-m-a" is 4 edits from "llama", over the limit of 3 for 9 characters.
    const catalog = [model("llama", "meta/x"), model("l-l-a-m-b", "o/y")];
    expect(suggestCatalogNames(catalog, "l-l-a-m-a")).toEqual(["llama", "l-l-a-m-b"]);
    expect(suggestCatalogNames(catalog, "l.l.a.m.a")).toEqual(["llama"]);
  });

  it("returns at most five, best first", () => {
    const catalog = ["qa", "qb", "qc", "qd", "qe", "qf", "q"].map((n) => model(n, `o/${n}`));
    expect(suggestCatalogNames(catalog, "q")).toEqual(["q", "qa", "qb", "qc", "qd"]);
  });
});
