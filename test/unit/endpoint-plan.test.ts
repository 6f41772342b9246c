import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CatalogModel } from "../../src/core/catalog/catalog.js";
import { ENDPOINT_API, endpointFromCatalog, workerDefaults } from "../../src/core/endpoint/endpoint-spec.js";
import { renderEndpointManifest } from "../../src/core/endpoint/render-manifest.js";
import { describeUnknownModel, resolveModel } from "../../src/core/endpoint/resolve-model.js";
import { planEndpoint, shapeForModel } from "../../src/core/endpoint/resolve-spec.js";
import { ConfigError } from "../../src/core/errors.js";
import { repoRoot } from "../support/paths.js";

const entry = (over: Partial<CatalogModel> = {}): CatalogModel => ({
  name: "gemma-12b",
  model: "google/gemma-3-12b-it",
  description: "Gemma 3 12B instruct",
  parametersB: 12.2,
  defaultMaxModelLen: 8192,
  contextLimit: 131072,
  gated: true,
  gpus: { g5: 2, g6: 2, g6e: 1 },
  layers: 48,
  kvHeads: 8,
  headDim: 256,
  ...over,
});

describe("ENDPOINT_API", () => {
  it("is the apiVersion of an InferenceEndpoint, as the template writes it", () => {
    expect(ENDPOINT_API).toBe("kro.run/v1alpha1");
    const template = parse(readFileSync(join(repoRoot, "templates", "inference-endpoint.yaml"), "utf8"));
    expect(template.apiVersion).toBe(ENDPOINT_API);
  });
});

describe("workerDefaults", () => {
  it("gives a one-GPU worker 3 CPU and 12Gi, and more GPUs 4 CPU and 24Gi each", () => {
    expect(workerDefaults(1)).toEqual({ workerCpu: "3", workerMemory: "12Gi" });
    expect(workerDefaults(2)).toEqual({ workerCpu: "8", workerMemory: "48Gi" });
    expect(workerDefaults(8)).toEqual({ workerCpu: "32", workerMemory: "192Gi" });
  });
});

describe("endpointFromCatalog", () => {
  it("takes the first family's count that is given, else one GPU", () => {
    expect(endpointFromCatalog(entry({ gpus: { g5: null, g6: 2, g6e: 1 } })).gpuCount).toBe(2);
    expect(endpointFromCatalog(entry({ gpus: { g5: null, g6: null, g6e: null } })).gpuCount).toBe(1);
  });

  it("lets every field be overridden, and sets the optional ones only when given", () => {
    expect(
      endpointFromCatalog(entry(), {
        namespace: "other",
        model: "org/m",
        maxReplicas: 9,
        workerMemory: "64Gi",
        workerCpu: "10",
        instanceFamilies: ["g6e"],
      }),
    ).toStrictEqual({
      name: "gemma-12b",
      namespace: "other",
      model: "org/m",
      gpuCount: 2,
      minReplicas: 1,
      maxReplicas: 9,
      workerMemory: "64Gi",
      workerCpu: "10",
      maxModelLen: 8192,
      instanceFamilies: ["g6e"],
    });
    expect(Object.keys(endpointFromCatalog(entry()))).not.toContain("rayImage");
    expect(Object.keys(endpointFromCatalog(entry()))).not.toContain("instanceFamilies");
  });
});

describe("renderEndpointManifest", () => {
  const template = `kind: InferenceEndpoint
metadata:
  name: x
spec:
  model: a/b
  rayImage: old/image:1
  instanceFamilies: [g5]
`;
  const spec = endpointFromCatalog(entry());

  it("writes instanceFamilies as a flow list, and drops one the spec does not set", () => {
    const text = renderEndpointManifest(template, { ...spec, instanceFamilies: ["g5", "g6e"] });
    expect(text).toContain("instanceFamilies: [ g5, g6e ]");
    expect(parse(text).spec.instanceFamilies).toEqual(["g5", "g6e"]);
    expect(parse(text).spec.rayImage).toBeUndefined();
    const without = parse(renderEndpointManifest(template, spec));
    expect(without.spec.instanceFamilies).toBeUndefined();
    expect(without.metadata.namespace).toBe("inference");
  });

  it("says what is wrong with a template", () => {
    expect(() => renderEndpointManifest("kind: InferenceEndpoint\nspec: 1\n", spec)).toThrow(
      new ConfigError("templates/inference-endpoint.yaml must be an InferenceEndpoint with a spec mapping"),
    );
    expect(() => renderEndpointManifest("kind: Pod\nspec: {}\n", spec)).toThrow(
      /^templates\/inference-endpoint.yaml must be an InferenceEndpoint with a spec mapping$/,
    );
    expect(() => renderEndpointManifest("kind: [", spec)).toThrow(
      /^templates\/inference-endpoint.yaml is not valid YAML: \S/,
    );
  });
});

describe("resolveModel and describeUnknownModel", () => {
  const catalog = [entry(), entry({ name: "qwen3-8b", model: "Qwen/Qwen3-8B" })];

  it("takes --model as given, with the catalog entry of that id in any case", () => {
    expect(resolveModel(catalog, "mine", "qwen/qwen3-8B")).toEqual({
      kind: "custom",
      model: "qwen/qwen3-8B",
      entry: catalog[1],
    });
  });

  it("takes a short name in any case, but not a HuggingFace id without --model", () => {
    expect(resolveModel(catalog, " Qwen3-8B ", undefined)).toEqual({
      kind: "catalog",
      model: "Qwen/Qwen3-8B",
      entry: catalog[1],
    });
    // The id names the catalog entry, so that is the suggestion.
    expect(resolveModel(catalog, "Qwen/Qwen3-8B", undefined)).toEqual({
      kind: "unknown",
      suggestions: ["qwen3-8b"],
    });
    expect(resolveModel(catalog, "qwen3-9b", undefined)).toEqual({
      kind: "unknown",
      suggestions: ["qwen3-8b"],
    });
  });

  it("tells how to go on, with or without close names", () => {
    expect(describeUnknownModel("qwen3-9b", ["qwen3-8b", "gemma-12b"])).toEqual({
      message:
        '"qwen3-9b" is not in the model catalog (templates/models.yaml). Did you mean: qwen3-8b, gemma-12b?',
      hint: "Run `aiplat deploy-model qwen3-8b`, or name any HuggingFace model: `aiplat deploy-model qwen3-9b --model <org/name>`.",
    });
    expect(describeUnknownModel("mine", [])).toEqual({
      message: '"mine" is not in the model catalog (templates/models.yaml).',
      hint: "Name the HuggingFace model: `aiplat deploy-model mine --model <org/name>`; `aiplat deploy-model --help` lists the catalog.",
    });
  });
});

describe("planEndpoint", () => {
  it("gives a custom model of unknown size the RGD's defaults", () => {
    const planned = planEndpoint({ model: "org/thing", entry: undefined }, { name: "t" });
    expect(planned.spec).toStrictEqual({
      name: "t",
      namespace: "inference",
      model: "org/thing",
      gpuCount: 1,
      minReplicas: 1,
      maxReplicas: 4,
      workerMemory: "12Gi",
      workerCpu: "3",
      maxModelLen: 8192,
    });
    expect(planned.shape).toBeUndefined();
    expect(planned.raisedGpus).toBeUndefined();
    expect(planned.gated).toBe(false);
    expect(shapeForModel({ model: "org/thing-7B", entry: undefined })).toEqual({ parametersB: 7 });
  });

  it("keeps every input of a custom model, and sizes the worker for its GPUs", () => {
    const planned = planEndpoint(
      { model: "org/thing", entry: undefined },
      {
        name: "t",
        gpus: 4,
        minReplicas: 2,
        maxModelLen: 4096,
        image: "me/ray:2.53.0",
        instanceFamilies: ["g6e"],
      },
    );
    expect(planned.spec).toStrictEqual({
      name: "t",
      namespace: "inference",
      model: "org/thing",
      gpuCount: 4,
      minReplicas: 2,
      maxReplicas: 4,
      workerMemory: "96Gi",
      workerCpu: "16",
      maxModelLen: 4096,
      rayImage: "me/ray:2.53.0",
      instanceFamilies: ["g6e"],
    });
    // Only g6e instances are candidates: g6e.12xlarge and g6e.24xlarge host 4 GPUs.
    expect(planned.fit.cost).toMatchObject({ minUsd: 10.49, maxUsd: 15.07 });
    const given = planEndpoint(
      { model: "org/thing", entry: undefined },
      { name: "t", maxReplicas: 2, workerCpu: "5", workerMemory: "20Gi" },
    ).spec;
    expect(given).toMatchObject({ maxReplicas: 2, workerCpu: "5", workerMemory: "20Gi" });
  });

  it("raises the default maximum of replicas to an explicit minimum above it", () => {
    expect(
      planEndpoint({ model: "org/thing", entry: undefined }, { name: "t", minReplicas: 6 }).spec,
    ).toMatchObject({ minReplicas: 6, maxReplicas: 6 });
    const catalogModel = planEndpoint(
      { model: entry().model, entry: entry() },
      { name: "g", minReplicas: 6 },
    );
    expect(catalogModel.spec).toMatchObject({ minReplicas: 6, maxReplicas: 6 });
    expect(catalogModel.gated).toBe(true);
  });

  it("keeps an explicit maximum as given (validation refuses one under the minimum)", () => {
    expect(
      planEndpoint({ model: "org/thing", entry: undefined }, { name: "t", minReplicas: 6, maxReplicas: 2 })
        .spec,
    ).toMatchObject({ minReplicas: 6, maxReplicas: 2 });
    expect(
      planEndpoint({ model: entry().model, entry: entry() }, { name: "g", minReplicas: 3, maxReplicas: 3 })
        .spec,
    ).toMatchObject({ minReplicas: 3, maxReplicas: 3 });
  });

  it("keeps the catalog's GPU count when the model fits every family with it", () => {
    const planned = planEndpoint({ model: entry().model, entry: entry() }, { name: "g" });
    expect(planned.fit.verdict).toBe("fits");
    expect(planned.raisedGpus).toBeUndefined();
    expect(planned.spec).toMatchObject({ gpuCount: 2, minReplicas: 1, maxReplicas: 4, workerCpu: "8" });
  });

  it("does not raise the count when some family cannot hold the model at all", () => {
    // 100B in bf16 needs more than 8 × 24 GB cards but fits 8 × 48 GB (g6e).
    const planned = planEndpoint({ model: "org/thing-100B", entry: undefined }, { name: "t" });
    expect(planned.fit.families.map((f) => f.minGpus)).toEqual([null, null, 8]);
    expect(planned.raisedGpus).toBeUndefined();
    expect(planned.spec.gpuCount).toBe(1);
  });

  it("does not raise the count of a model that no family holds even with 8 GPUs", () => {
    const planned = planEndpoint({ model: "org/thing-2000B", entry: undefined }, { name: "t" });
    expect(planned.fit.verdict).toBe("no-fit");
    expect(planned.raisedGpus).toBeUndefined();
    expect(planned.spec.gpuCount).toBe(1);
  });

  it("keeps that maximum when it raises the GPU count", () => {
    const planned = planEndpoint(
      { model: entry().model, entry: entry() },
      { name: "g", maxModelLen: 131072, minReplicas: 6 },
    );
    expect(planned.raisedGpus).toEqual({ from: 2, to: 4 });
    expect(planned.spec).toMatchObject({ gpuCount: 4, minReplicas: 6, maxReplicas: 6, workerCpu: "16" });
  });
});
