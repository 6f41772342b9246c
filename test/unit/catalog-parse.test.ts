import { describe, expect, it } from "vitest";
import { findCatalogModel, parseCatalog, suggestCatalogNames } from "../../src/core/catalog/index.js";
import { ConfigError } from "../../src/core/errors.js";
import { catalogEntry as entry, catalogText as yamlOf } from "../support/catalog-entry.js";

describe("parseCatalog", () => {
  it("reads valid entries with their types", () => {
    const [model] = parseCatalog(yamlOf([entry({ gpus: { g5: null, g6: 8, g6e: 4 } })]));
    expect(model).toEqual(entry({ gpus: { g5: null, g6: 8, g6e: 4 } }));
  });

  it("reports every broken entry at once, naming it and the field", () => {
    const text = yamlOf([
      entry({ name: "Gemma 4B" }),
      entry({ name: "ok-one", parametersB: -1, gpus: { g5: 3, g6: 1, g6e: 1 } }),
      entry({ name: "short", defaultMaxModelLen: 65536, contextLimit: 32768 }),
      entry({ name: "no-heads", kvHeads: 0, gated: "yes" }),
    ]);
    let error: unknown;
    try {
      parseCatalog(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/models\[0\] \(Gemma 4B\): name must be lowercase/);
    expect(message).toMatch(/models\[1\] \(ok-one\): parametersB must be a positive number/);
    expect(message).toMatch(/models\[1\] \(ok-one\): gpus\.g5 must be 1, 2, 4, 8 or null, got 3/);
    expect(message).toMatch(/models\[2\] \(short\): defaultMaxModelLen 65536 exceeds contextLimit 32768/);
    expect(message).toMatch(/models\[3\] \(no-heads\): kvHeads must be a positive integer/);
    expect(message).toMatch(/gated must be true or false/);
  });

  it("rejects names that could not be a Service name (dots) and duplicates", () => {
    expect(() => parseCatalog(yamlOf([entry({ name: "llama-3.1-8b" })]))).toThrow(/name must be lowercase/);
    expect(() => parseCatalog(yamlOf([entry(), entry()]))).toThrow(/duplicate name "gemma-4b"/);
  });

  it("explains a file that is not a catalog", () => {
    expect(() => parseCatalog("models: [1, 2")).toThrow(/not valid YAML/);
    expect(() => parseCatalog("items: []")).toThrow(/top-level `models:` list/);
  });
});

describe("findCatalogModel and suggestCatalogNames", () => {
  const catalog = parseCatalog(
    yamlOf([
      entry(),
      entry({ name: "gemma-12b", model: "google/gemma-3-12b-it" }),
      entry({ name: "qwen3-8b", model: "Qwen/Qwen3-8B" }),
      entry({ name: "llama31-8b", model: "meta-llama/Llama-3.1-8B-Instruct" }),
    ]),
  );

  it("finds by short name (any case) or by HuggingFace id", () => {
    expect(findCatalogModel(catalog, "GEMMA-4B")?.model).toBe("google/gemma-3-4b-it");
    expect(findCatalogModel(catalog, "Qwen/Qwen3-8B")?.name).toBe("qwen3-8b");
    expect(findCatalogModel(catalog, "gemma-5b")).toBeUndefined();
  });

  it("suggests close names for a typo, best first, and nothing for nonsense", () => {
    expect(suggestCatalogNames(catalog, "gema-4b")[0]).toBe("gemma-4b");
    expect(suggestCatalogNames(catalog, "gemma4b")[0]).toBe("gemma-4b");
    expect(suggestCatalogNames(catalog, "qwen")).toContain("qwen3-8b");
    expect(suggestCatalogNames(catalog, "llama")).toContain("llama31-8b");
    expect(suggestCatalogNames(catalog, "stable-diffusion-xl")).toEqual([]);
  });
});
