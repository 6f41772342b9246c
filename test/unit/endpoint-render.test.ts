import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CatalogModel } from "../../src/core/catalog/index.js";
import {
  ENDPOINT_DEFAULTS,
  type EndpointSpec,
  endpointFromCatalog,
  renderEndpointManifest,
} from "../../src/core/endpoint/index.js";
import { ConfigError } from "../../src/core/errors.js";

const template = `# header comment kept
apiVersion: kro.run/v1alpha1
kind: InferenceEndpoint
metadata:
  name: example # the name
  namespace: inference
spec:
  # the model id
  model: org/example
  gpuCount: 1
  minReplicas: 1
  maxReplicas: 2
  workerMemory: 24Gi
  workerCpu: "4"
  maxModelLen: 8192
  rayImage: old/image:1
`;

const spec: EndpointSpec = {
  name: "qwen3-8b",
  namespace: "inference",
  model: "Qwen/Qwen3-8B",
  gpuCount: 4,
  minReplicas: 2,
  maxReplicas: 3,
  workerMemory: "96Gi",
  workerCpu: "16",
  maxModelLen: 16384,
};

const model: CatalogModel = {
  name: "gemma-27b",
  model: "google/gemma-3-27b-it",
  description: "Gemma 3 27B",
  parametersB: 27.4,
  defaultMaxModelLen: 8192,
  contextLimit: 131072,
  gated: true,
  gpus: { g5: 4, g6: 4, g6e: 2 },
  layers: 62,
  kvHeads: 16,
  headDim: 128,
};

describe("renderEndpointManifest", () => {
  it("fills every field with the right YAML type and keeps the template's comments", () => {
    const text = renderEndpointManifest(template, spec);
    const doc = parse(text);
    expect(doc.metadata).toEqual({ name: "qwen3-8b", namespace: "inference" });
    expect(doc.spec).toEqual({
      model: "Qwen/Qwen3-8B",
      gpuCount: 4,
      minReplicas: 2,
      maxReplicas: 3,
      workerMemory: "96Gi",
      workerCpu: "16",
      maxModelLen: 16384,
    });
    expect(text).toContain("# header comment kept");
    expect(text).toContain("# the model id");
  });

  it("keeps a numeric-looking CPU quantity a string, so the RGD's string field accepts it", () => {
    expect(parse(renderEndpointManifest(template, spec)).spec.workerCpu).toBe("16");
  });

  it("sets rayImage only when given (otherwise the RGD default applies)", () => {
    expect(parse(renderEndpointManifest(template, spec)).spec.rayImage).toBeUndefined();
    const withImage = renderEndpointManifest(template, {
      ...spec,
      rayImage: "rayproject/ray-llm:2.53.0-py311-cu128",
    });
    expect(parse(withImage).spec.rayImage).toBe("rayproject/ray-llm:2.53.0-py311-cu128");
  });

  it("refuses a template that is not an InferenceEndpoint", () => {
    expect(() => renderEndpointManifest("kind: Pod\nspec: {}\n", spec)).toThrow(ConfigError);
    expect(() => renderEndpointManifest("kind: [", spec)).toThrow(/not valid YAML/);
  });
});

describe("endpointFromCatalog", () => {
  it("uses the catalog's model, context and 24 GB GPU count, with CPU and memory per GPU", () => {
    expect(endpointFromCatalog(model)).toEqual({
      name: "gemma-27b",
      namespace: "inference",
      model: "google/gemma-3-27b-it",
      gpuCount: 4,
      minReplicas: ENDPOINT_DEFAULTS.minReplicas,
      maxReplicas: ENDPOINT_DEFAULTS.maxReplicas,
      workerMemory: "96Gi",
      workerCpu: "16",
      maxModelLen: 8192,
    });
  });

  it("keeps the RGD's defaults for a one-GPU model", () => {
    const small = endpointFromCatalog({ ...model, gpus: { g5: 1, g6: 1, g6e: 1 } });
    expect(small).toMatchObject({
      gpuCount: 1,
      workerMemory: ENDPOINT_DEFAULTS.workerMemory,
      workerCpu: ENDPOINT_DEFAULTS.workerCpu,
    });
  });

  it("falls back to the 48 GB count when the model does not fit 24 GB cards at all", () => {
    expect(endpointFromCatalog({ ...model, gpus: { g5: null, g6: null, g6e: 8 } }).gpuCount).toBe(8);
  });

  it("lets every override win", () => {
    const e = endpointFromCatalog(model, {
      name: "big",
      gpuCount: 8,
      maxModelLen: 32768,
      rayImage: "x/y:1",
      minReplicas: 2,
    });
    expect(e).toMatchObject({
      name: "big",
      gpuCount: 8,
      maxModelLen: 32768,
      rayImage: "x/y:1",
      minReplicas: 2,
      workerCpu: "32",
    });
  });
});
