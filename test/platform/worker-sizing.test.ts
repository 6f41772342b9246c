import { describe, expect, it } from "vitest";
import { ENDPOINT_DEFAULTS, workerDefaults } from "../../src/core/endpoint/endpoint-spec.js";
import { INSTANCE_TYPES } from "../../src/core/fit/gpu-types.js";
import { planFit } from "../../src/core/fit/plan-fit.js";
import { parseSimpleField } from "../../src/core/kro/simple-schema.js";
import { loadRgd } from "./support/crd-fixtures.js";
import { dig } from "./support/manifests-load.js";

// Issue 17 points 7 and 8: the 4 CPU / 24Gi worker default did not fit a g5/g6.xlarge (4 vCPU,
// 16 GiB), so every 1-GPU endpoint paid for a 2xlarge; and gpuCount accepted 3, 5, 6, 7, which no
// g5/g6/g6e instance has.

const specField = (name: string) =>
  parseSimpleField(String(dig(loadRgd(), "spec", "schema", "spec", name)), `spec.${name}`).schema;

function hosts(gpus: number) {
  const { workerCpu, workerMemory } = workerDefaults(gpus);
  return planFit({
    shape: undefined,
    bytesPerParam: 2,
    maxModelLen: 8192,
    gpuCount: gpus,
    workerCpu,
    workerMemory,
  })
    .candidates.map((t) => t.name)
    .sort();
}

describe("GPU worker defaults fit the smallest instance holding their GPUs", () => {
  it("a 1-GPU worker fits g5.xlarge, g6.xlarge and g6e.xlarge", () => {
    expect(hosts(1)).toEqual(expect.arrayContaining(["g5.xlarge", "g6.xlarge", "g6e.xlarge"]));
  });

  it("2 and 4 GPUs fit every *.12xlarge, 8 GPUs every *.48xlarge", () => {
    const twelve = ["g5.12xlarge", "g6.12xlarge", "g6e.12xlarge"];
    expect(hosts(2)).toEqual(expect.arrayContaining(twelve));
    expect(hosts(4)).toEqual(expect.arrayContaining(twelve));
    expect(hosts(8)).toEqual(["g5.48xlarge", "g6.48xlarge", "g6e.48xlarge"]);
  });

  it("the RGD's defaults are the 1-GPU sizes, and so are deploy-model's", () => {
    expect(specField("workerCpu").default).toBe(workerDefaults(1).workerCpu);
    expect(specField("workerMemory").default).toBe(workerDefaults(1).workerMemory);
    expect(ENDPOINT_DEFAULTS.workerCpu).toBe(workerDefaults(1).workerCpu);
  });
});

describe("gpuCount takes only the GPU counts the instances offer", () => {
  it("is an enum of 1, 2, 4, 8 — exactly the per-instance GPU counts of g5/g6/g6e (2 shares a 4-GPU node)", () => {
    expect(specField("gpuCount").enum).toEqual([1, 2, 4, 8]);
    expect([...new Set(INSTANCE_TYPES.map((t) => t.gpus))].sort()).toEqual([1, 4, 8]);
  });
});
