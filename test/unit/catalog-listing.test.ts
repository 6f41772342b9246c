import { describe, expect, it } from "vitest";
import type { CatalogModel } from "../../src/core/catalog/catalog.js";
import { type CatalogRow, catalogRows, formatCatalog } from "../../src/core/catalog/listing.js";

const entry = (over: Partial<CatalogModel>): CatalogModel => ({
  name: "gemma-1b",
  model: "google/gemma-3-1b-it",
  description: "Gemma 3 1B",
  parametersB: 1,
  defaultMaxModelLen: 8192,
  contextLimit: 32768,
  gated: true,
  gpus: { g5: 1, g6: 1, g6e: 1 },
  layers: 26,
  kvHeads: 1,
  headDim: 256,
  ...over,
});

describe("catalogRows: what `aiplat models --catalog` shows per model", () => {
  it("sizes a one-GPU model as deploy-model would and prices the one-GPU instances", () => {
    // Any one-GPU g5/g6/g6e size may host the worker: the cheapest is g6.xlarge ($0.80),
    // the dearest g6e.16xlarge ($7.58).
    expect(catalogRows([entry({})])).toEqual([
      {
        name: "gemma-1b",
        model: "google/gemma-3-1b-it",
        description: "Gemma 3 1B",
        parametersB: 1,
        gpus: 1,
        gpusByFamily: { g5: 1, g6: 1, g6e: 1 },
        maxModelLen: 8192,
        contextLimit: 32768,
        gated: true,
        hourlyUsd: { min: 0.8, max: 7.58 },
      },
    ]);
  });

  it("takes the 24 GB count for a two-GPU model, on the four-GPU sizes", () => {
    const [row] = catalogRows([
      entry({
        name: "qwen3-8b",
        model: "Qwen/Qwen3-8B",
        description: "Qwen3 8B",
        parametersB: 8.2,
        defaultMaxModelLen: 16384,
        contextLimit: 40960,
        gated: false,
        gpus: { g5: 2, g6: 2, g6e: 1 },
        layers: 36,
        kvHeads: 8,
        headDim: 128,
      }),
    ]);
    // g6.12xlarge $4.60 … g6e.24xlarge $15.07 (12xlarge and 24xlarge carry 4 GPUs each).
    expect(row).toEqual({
      name: "qwen3-8b",
      model: "Qwen/Qwen3-8B",
      description: "Qwen3 8B",
      parametersB: 8.2,
      gpus: 2,
      gpusByFamily: { g5: 2, g6: 2, g6e: 1 },
      maxModelLen: 16384,
      contextLimit: 40960,
      gated: false,
      hourlyUsd: { min: 4.6, max: 15.07 },
    });
  });

  it("has no price for a model that fits no instance", () => {
    const [row] = catalogRows([
      entry({ name: "huge", model: "org/huge", parametersB: 2000, gpus: { g5: null, g6: null, g6e: null } }),
    ]);
    expect(row?.gpus).toBe(1);
    expect(row?.gpusByFamily).toEqual({ g5: null, g6: null, g6e: null });
    expect(row?.hourlyUsd).toBeUndefined();
  });
});

describe("formatCatalog", () => {
  const rows: CatalogRow[] = [
    {
      name: "gemma-1b",
      model: "google/gemma-3-1b-it",
      description: "Gemma 3 1B",
      parametersB: 1,
      gpus: 1,
      gpusByFamily: { g5: 1, g6: 1, g6e: 1 },
      maxModelLen: 8192,
      contextLimit: 32768,
      gated: true,
      hourlyUsd: { min: 0.8, max: 7.58 },
    },
    {
      name: "big",
      model: "org/Big-400B",
      description: "Big",
      parametersB: 400,
      gpus: 8,
      gpusByFamily: { g5: null, g6: null, g6e: 8 },
      maxModelLen: 1023,
      contextLimit: 1536,
      gated: false,
      hourlyUsd: undefined,
    },
  ];

  it("prints a table with columns as wide as their widest cell, then the notes", () => {
    expect(formatCatalog(rows, "approximate on-demand prices, us-east-1, 2025-11")).toBe(
      [
        "NAME      MODEL                 PARAMS  GPUS  G5/G6/G6E  CONTEXT     GATED  $/H PER REPLICA",
        "gemma-1b  google/gemma-3-1b-it  1B      1     1/1/1      8k of 32k   yes    0.80-7.58",
        "big       org/Big-400B          400B    8     -/-/8      1023 of 2k  no     ?",
        "",
        'GPUS: per worker as deploy-model picks it (fits every family); G5/G6/G6E: the smallest count per family ("-": does not fit).',
        "CONTEXT: the default --max-model-len of the model's own maximum. GATED: needs an accepted licence and `aiplat secret hf-token`.",
        "$/H: one replica's GPU node, cheapest to dearest instance Karpenter may pick (approximate on-demand prices, us-east-1, 2025-11).",
        "Deploy one with `aiplat deploy-model <name>`.",
      ].join("\n"),
    );
  });

  it("writes a context of 1024 tokens or more in k, rounded", () => {
    const context = (maxModelLen: number, contextLimit: number) =>
      formatCatalog([{ ...rows[1]!, maxModelLen, contextLimit }], "p").split("\n")[1];
    expect(context(1024, 1535)).toContain("  -/-/8      1k of 1k  ");
    expect(context(1023, 1536)).toContain("  -/-/8      1023 of 2k  ");
  });

  it("keeps the header's widths when every cell is narrower", () => {
    const narrow: CatalogRow = {
      ...rows[1]!,
      name: "a",
      model: "o/m",
      parametersB: 2,
      gpus: 2,
      gpusByFamily: { g5: 2, g6: 2, g6e: 1 },
      maxModelLen: 4096,
      contextLimit: 8192,
      hourlyUsd: { min: 4.6, max: 15.07 },
    };
    expect(formatCatalog([narrow], "p").split("\n").slice(0, 2)).toEqual([
      "NAME  MODEL  PARAMS  GPUS  G5/G6/G6E  CONTEXT   GATED  $/H PER REPLICA",
      "a     o/m    2B      2     2/2/1      4k of 8k  no     4.60-15.07",
    ]);
  });
});
