import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/core/catalog/catalog.js";
import { describeUnknownModel, resolveModel } from "../../src/core/endpoint/resolve-model.js";
import { planEndpoint } from "../../src/core/endpoint/resolve-spec.js";
import { validateDeployInputs } from "../../src/core/endpoint/validate-inputs.js";
import { UsageError } from "../../src/core/errors.js";
import { repoRoot } from "../support/paths.js";

const catalog = parseCatalog(readFileSync(join(repoRoot, "templates", "models.yaml"), "utf8"));

describe("deploy-model input validation", () => {
  it("accepts good values and parses numbers", () => {
    expect(
      validateDeployInputs({
        name: "my-model-2",
        model: "Qwen/Qwen2.5-7B-Instruct",
        gpus: "2",
        minReplicas: "1",
        maxReplicas: "16",
        maxModelLen: "32768",
        workerMemory: "48Gi",
        workerCpu: "7500m",
        image: "rayproject/ray-llm:2.53.0-py311-cu128",
      }),
    ).toMatchObject({ name: "my-model-2", gpus: 2, maxReplicas: 16, maxModelLen: 32768, workerCpu: "7500m" });
    expect(validateDeployInputs({ name: "a".repeat(40) }).name).toHaveLength(40);
  });

  it("says why names stop at 40 characters although Services allow 63", () => {
    expect(() => validateDeployInputs({ name: "a".repeat(41) })).toThrow(
      /41 characters, at most 40 .*<name>-raycluster-xxxxx.*<name>-litellm-register.*63 characters/,
    );
  });

  it("reports every problem at once, naming each flag", () => {
    let error: unknown;
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a KRO expression on purpose (injection attempt)
      validateDeployInputs({ name: "Bad_Name", model: "x", gpus: "0", workerCpu: "${x}" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const problems = (error as UsageError).details?.problems as string[];
    expect(problems).toHaveLength(4);
    for (const fragment of [
      "DNS label",
      "--model",
      "--gpus must be from 1 to 8",
      '--worker-cpu contains "${"',
    ]) {
      expect(problems.some((p) => p.includes(fragment))).toBe(true);
    }
  });

  it("bounds --max-model-len by the model's own context limit", () => {
    expect(() => validateDeployInputs({ name: "q", maxModelLen: "40000" }, { contextLimit: 32768 })).toThrow(
      /512 to 32768/,
    );
    expect(validateDeployInputs({ name: "q", maxModelLen: "40000" }).maxModelLen).toBe(40000);
  });
});

describe("resolving a name to a model", () => {
  it("takes catalog names, --model for anything else, and suggests close names", () => {
    expect(resolveModel(catalog, "gemma-4b", undefined)).toMatchObject({
      kind: "catalog",
      model: "google/gemma-3-4b-it",
    });
    expect(resolveModel(catalog, "mine", "Qwen/Qwen3-8B")).toMatchObject({
      kind: "custom",
      entry: { name: "qwen3-8b" },
    });
    expect(resolveModel(catalog, "mine", "org/unknown-3B")).toMatchObject({
      kind: "custom",
      entry: undefined,
    });
    const unknown = resolveModel(catalog, "gemma4b", undefined);
    expect(unknown).toMatchObject({ kind: "unknown" });
    expect(unknown.kind === "unknown" && unknown.suggestions[0]).toBe("gemma-4b");
    expect(describeUnknownModel("gemma4b", ["gemma-4b"]).hint).toContain("aiplat deploy-model gemma-4b");
  });

  it("raises a default GPU count that does not fit every family, but keeps an explicit one", () => {
    const gemma12 = catalog.find((m) => m.name === "gemma-12b");
    const raised = planEndpoint(
      { model: "google/gemma-3-12b-it", entry: gemma12 },
      { name: "g", maxModelLen: 131072 },
    );
    expect(raised.raisedGpus).toEqual({ from: 2, to: 4 });
    expect(raised.spec).toMatchObject({ gpuCount: 4, workerMemory: "96Gi", workerCpu: "16" });
    expect(raised.fit.verdict).toBe("fits");
    const kept = planEndpoint({ model: "google/gemma-3-12b-it", entry: gemma12 }, { name: "g", gpus: 1 });
    expect(kept.spec.gpuCount).toBe(1);
    expect(kept.fit.verdict).toBe("partial");
  });

  it("sizes a custom model from the parameter count in its id", () => {
    const planned = planEndpoint({ model: "org/thing-14B-chat", entry: undefined }, { name: "t" });
    expect(planned.spec.gpuCount).toBe(2);
    expect(planned.fit.estimate?.kvApproximate).toBe(true);
    expect(planEndpoint({ model: "org/thing", entry: undefined }, { name: "t" }).fit.verdict).toBe("unknown");
  });
});
