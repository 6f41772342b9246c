import { describe, expect, it } from "vitest";
import { formatChanges, inheritDeclared, specChanges } from "../../src/core/endpoint/declared-values.js";

const declared = {
  model: "org/custom-7B",
  gpuCount: 2,
  minReplicas: 1,
  maxReplicas: 4,
  maxModelLen: 16384,
  workerMemory: "48Gi",
  workerCpu: "8",
  rayImage: "me/ray:2.53.0",
  instanceFamilies: ["g5", "g6"],
  modelSource: "s3://bucket/model",
};

describe("inheritDeclared", () => {
  it("changes nothing for an endpoint that is not declared yet", () => {
    const raw = { name: "n", gpus: "2" };
    expect(inheritDeclared(raw, undefined)).toEqual({ raw: { name: "n", gpus: "2" }, inherited: [] });
  });

  it("fills every value not given from the declaration, as the flag would spell it", () => {
    expect(inheritDeclared({ name: "n" }, declared)).toEqual({
      raw: {
        name: "n",
        model: "org/custom-7B",
        gpus: "2",
        minReplicas: "1",
        maxReplicas: "4",
        maxModelLen: "16384",
        workerMemory: "48Gi",
        workerCpu: "8",
        image: "me/ray:2.53.0",
        instanceFamily: "g5,g6",
      },
      inherited: [
        "model",
        "gpuCount",
        "minReplicas",
        "maxReplicas",
        "maxModelLen",
        "workerMemory",
        "workerCpu",
        "rayImage",
        "instanceFamilies",
      ],
    });
  });

  it("keeps what the command line gives", () => {
    const { raw, inherited } = inheritDeclared({ name: "n", maxReplicas: "3", image: "x/y:1" }, declared);
    expect(raw.maxReplicas).toBe("3");
    expect(raw.image).toBe("x/y:1");
    expect(inherited).not.toContain("maxReplicas");
    expect(inherited).not.toContain("rayImage");
    expect(inherited).toContain("maxModelLen");
  });

  it("skips declared values no flag could have given", () => {
    const { raw, inherited } = inheritDeclared(
      { name: "n" },
      {
        model: 7,
        gpuCount: Number.POSITIVE_INFINITY,
        minReplicas: Number.NaN,
        maxReplicas: true,
        maxModelLen: null,
        workerMemory: { gi: 4 },
        instanceFamilies: ["g5", 6],
      },
    );
    expect(raw).toEqual({ name: "n", model: "7" });
    expect(inherited).toEqual(["model"]);
  });

  it("lets the worker size follow a new --gpus when it was the default for the declared count", () => {
    // 8 CPU and 48Gi are the defaults for 2 GPUs: with --gpus 4 they would starve the worker.
    const { raw, inherited } = inheritDeclared({ name: "n", gpus: "4" }, declared);
    expect(raw.gpus).toBe("4");
    expect(raw.workerCpu).toBeUndefined();
    expect(raw.workerMemory).toBeUndefined();
    expect(inherited).toEqual([
      "model",
      "minReplicas",
      "maxReplicas",
      "maxModelLen",
      "rayImage",
      "instanceFamilies",
    ]);
  });

  it("keeps a worker size the user chose, and the default one when --gpus does not change", () => {
    const chosen = inheritDeclared(
      { name: "n", gpus: "4" },
      { ...declared, workerCpu: "10", workerMemory: "64Gi" },
    );
    expect(chosen.raw).toMatchObject({ workerCpu: "10", workerMemory: "64Gi" });
    const same = inheritDeclared({ name: "n", gpus: "2" }, declared);
    expect(same.raw).toMatchObject({ workerCpu: "8", workerMemory: "48Gi" });
    expect(same.inherited).toContain("workerCpu");
  });

  it("takes one GPU, with 3 CPU and 12Gi, when the declaration has no numeric gpuCount", () => {
    const none = inheritDeclared({ name: "n", gpus: "2" }, { workerCpu: "3", workerMemory: "12Gi" });
    expect(none.raw).toEqual({ name: "n", gpus: "2" });
    const text = inheritDeclared(
      { name: "n", gpus: "2" },
      { gpuCount: "2", workerCpu: "3", workerMemory: "12Gi" },
    );
    expect(text.raw).toEqual({ name: "n", gpus: "2" });
    const one = inheritDeclared({ name: "n", gpus: "1" }, { workerCpu: "3", workerMemory: "12Gi" });
    expect(one.raw).toEqual({ name: "n", gpus: "1", workerCpu: "3", workerMemory: "12Gi" });
  });
});

describe("specChanges and formatChanges", () => {
  it("lists the fields of the new spec that differ, in its order", () => {
    const before = { model: "org/m", maxReplicas: 4, instanceFamilies: ["g5"], modelSource: "s3://x" };
    const after = { maxReplicas: 3, model: "org/m", instanceFamilies: ["g5"], rayImage: "r/i:1" };
    const changes = specChanges(before, after);
    expect(changes).toEqual([
      { field: "maxReplicas", from: 4, to: 3 },
      { field: "rayImage", from: undefined, to: "r/i:1" },
    ]);
    expect(formatChanges(changes)).toEqual(["  maxReplicas: 4 → 3", '  rayImage: (default) → "r/i:1"']);
  });

  it("compares arrays by value and treats a new endpoint as all changed", () => {
    expect(specChanges({ instanceFamilies: ["g5"] }, { instanceFamilies: ["g5", "g6"] })).toEqual([
      { field: "instanceFamilies", from: ["g5"], to: ["g5", "g6"] },
    ]);
    expect(specChanges(undefined, { gpuCount: 1 })).toEqual([{ field: "gpuCount", from: undefined, to: 1 }]);
    expect(formatChanges([{ field: "instanceFamilies", from: ["g5"], to: undefined }])).toEqual([
      '  instanceFamilies: ["g5"] → (default)',
    ]);
  });
});
