/**
 * From a resolved model and validated inputs to the EndpointSpec that is rendered and committed,
 * with the fit check that decides the GPU count when the user did not give one.
 */
import type { CatalogModel, GpuFamily } from "../catalog/catalog.js";
import {
  bytesPerParameter,
  type ModelShape,
  parametersFromModelId,
  shapeOfCatalogModel,
} from "../fit/estimate.js";
import { type FitPlan, planFit } from "../fit/plan-fit.js";
import {
  ENDPOINT_DEFAULTS,
  ENDPOINT_NAMESPACE,
  type EndpointSpec,
  endpointFromCatalog,
  workerDefaults,
} from "./endpoint-spec.js";
import type { DeployInputs } from "./validate-inputs.js";

export interface ResolvedModel {
  model: string;
  entry: CatalogModel | undefined;
}

export interface PlannedEndpoint {
  spec: EndpointSpec;
  fit: FitPlan;
  shape: ModelShape | undefined;
  /** Set when the GPU count was raised from the default so the model fits every family. */
  raisedGpus: { from: number; to: number } | undefined;
  gated: boolean;
}

export function shapeForModel(resolved: ResolvedModel): ModelShape | undefined {
  if (resolved.entry) return shapeOfCatalogModel(resolved.entry);
  const parametersB = parametersFromModelId(resolved.model);
  return parametersB === undefined ? undefined : { parametersB };
}

function baseSpec(resolved: ResolvedModel, inputs: DeployInputs, gpuCount: number | undefined): EndpointSpec {
  const overrides = {
    name: inputs.name,
    model: resolved.model,
    gpuCount,
    minReplicas: inputs.minReplicas,
    maxReplicas: inputs.maxReplicas,
    maxModelLen: inputs.maxModelLen,
    workerMemory: inputs.workerMemory,
    workerCpu: inputs.workerCpu,
    rayImage: inputs.image,
    instanceFamilies: inputs.instanceFamilies,
  };
  // endpointFromCatalog takes an undefined override as not given.
  if (resolved.entry) return endpointFromCatalog(resolved.entry, overrides);
  const gpus = gpuCount ?? ENDPOINT_DEFAULTS.gpuCount;
  const spec: EndpointSpec = {
    name: inputs.name,
    namespace: ENDPOINT_NAMESPACE,
    model: resolved.model,
    gpuCount: gpus,
    minReplicas: inputs.minReplicas ?? ENDPOINT_DEFAULTS.minReplicas,
    // planEndpoint raises this default to an explicit minReplicas above it.
    maxReplicas: inputs.maxReplicas ?? ENDPOINT_DEFAULTS.maxReplicas,
    workerMemory: inputs.workerMemory ?? workerDefaults(gpus).workerMemory,
    workerCpu: inputs.workerCpu ?? workerDefaults(gpus).workerCpu,
    maxModelLen: inputs.maxModelLen ?? ENDPOINT_DEFAULTS.maxModelLen,
  };
  if (inputs.image !== undefined) spec.rayImage = inputs.image;
  if (inputs.instanceFamilies !== undefined) spec.instanceFamilies = inputs.instanceFamilies;
  return spec;
}

function fitOf(spec: EndpointSpec, shape: ModelShape | undefined): FitPlan {
  return planFit({
    shape,
    bytesPerParam: bytesPerParameter(spec.model),
    maxModelLen: spec.maxModelLen,
    gpuCount: spec.gpuCount,
    workerCpu: spec.workerCpu,
    workerMemory: spec.workerMemory,
    families: spec.instanceFamilies as GpuFamily[] | undefined,
  });
}

/**
 * The spec to deploy. Without --gpus, a default that does not fit every GPU family is raised to
 * the smallest count that does (e.g. a longer --max-model-len); an explicit --gpus is kept and
 * judged (the caller refuses a misfit unless --force).
 */
export function planEndpoint(resolved: ResolvedModel, inputs: DeployInputs): PlannedEndpoint {
  const shape = shapeForModel(resolved);
  let spec = baseSpec(resolved, inputs, inputs.gpus);
  // maxReplicas default must not fall under an explicit minReplicas.
  if (inputs.maxReplicas === undefined) spec.maxReplicas = Math.max(spec.maxReplicas, spec.minReplicas);
  let fit = fitOf(spec, shape);
  let raisedGpus: PlannedEndpoint["raisedGpus"];
  // No verdict test is needed: when the spec fits every family, no family needs more GPUs than it
  // has; when the size is unknown there are no families, and Math.max() is -Infinity.
  if (inputs.gpus === undefined) {
    const counts = fit.families.map((f) => f.minGpus);
    if (counts.every((n): n is number => n !== null)) {
      const to = Math.max(...counts);
      if (to > spec.gpuCount) {
        raisedGpus = { from: spec.gpuCount, to };
        spec = { ...baseSpec(resolved, inputs, to), maxReplicas: spec.maxReplicas };
        fit = fitOf(spec, shape);
      }
    }
  }
  return { spec, fit, shape, raisedGpus, gated: resolved.entry?.gated ?? false };
}
