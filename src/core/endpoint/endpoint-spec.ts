/**
 * The values of one InferenceEndpoint, and how a catalog entry becomes one. Defaults mirror the
 * RGD's SimpleSchema (platform/kro-definitions/inference-endpoint.yaml); a test keeps them equal.
 */
import type { CatalogModel } from "../catalog/catalog.js";

export interface EndpointSpec {
  name: string;
  namespace: string;
  /** HuggingFace model id. */
  model: string;
  gpuCount: number;
  minReplicas: number;
  maxReplicas: number;
  /** Kubernetes quantity, e.g. "24Gi". */
  workerMemory: string;
  /** Kubernetes quantity, e.g. "4". */
  workerCpu: string;
  maxModelLen: number;
  /** Omitted: the RGD's default image. */
  rayImage?: string | undefined;
  /** GPU instance families the workers may run on (node affinity); omitted: every NodePool family. */
  instanceFamilies?: string[] | undefined;
}

export const ENDPOINT_NAMESPACE = "inference";
/** The API version of InferenceEndpoint (the KRO ResourceGraphDefinition in platform/kro-definitions). */
export const ENDPOINT_API = "kro.run/v1alpha1";

/** The RGD's defaults (SimpleSchema `default=` markers). */
export const ENDPOINT_DEFAULTS = {
  gpuCount: 1,
  minReplicas: 1,
  maxReplicas: 4,
  workerMemory: "12Gi",
  workerCpu: "3",
  maxModelLen: 8192,
  rayImage: "rayproject/ray-llm:2.53.0-py311-cu128",
  /** The gpu-inference NodePool's families (terraform/30.eks/30.cluster/karpenter): no pinning. */
  instanceFamilies: ["g5", "g6", "g6e"],
  /** Empty: weights come from HuggingFace; s3://… reads the S3 model cache (issue 17 point 18). */
  modelSource: "",
} as const;

/**
 * CPU and memory per GPU worker, sized from the smallest instance that holds its GPUs (after the
 * kubelet's reservations and the node's daemonsets): 1 GPU → g5/g6.xlarge (4 vCPU, 16 GiB), so
 * 3 CPU and 12Gi — the old 4 CPU/24Gi forced every 1-GPU endpoint onto a 2xlarge at ~20-50% more
 * per hour; 2 and 4 GPUs → a *.12xlarge (48 vCPU, ≥ 192 GiB); 8 → a *.48xlarge (192 vCPU,
 * ≥ 768 GiB). Multi-GPU workers get 4 CPU and 24Gi per GPU to load their shards.
 */
export function workerDefaults(gpuCount: number): { workerCpu: string; workerMemory: string } {
  return gpuCount > 1
    ? { workerCpu: String(4 * gpuCount), workerMemory: `${24 * gpuCount}Gi` }
    : { workerCpu: ENDPOINT_DEFAULTS.workerCpu, workerMemory: ENDPOINT_DEFAULTS.workerMemory };
}

/**
 * Longest endpoint name: KubeRay names the RayCluster <name>-<5 chars> and its head Service
 * <cluster>-head-svc, and the registration Job is <name>-litellm-register; all must stay DNS
 * labels of at most 63 characters.
 */
export const MAX_ENDPOINT_NAME_LENGTH = 40;

export type EndpointOverrides = Partial<EndpointSpec>;

/**
 * A catalog model with the RGD's defaults. The GPU count is the one suggested for 24 GB cards
 * (g5/g6): the gpu-inference NodePool may place a worker on any family, so the smallest card is
 * the one that must hold the model; models that only fit 48 GB cards take the g6e count. CPU and
 * memory grow with the GPUs so a multi-GPU worker gets host memory to load its shards.
 */
export function endpointFromCatalog(model: CatalogModel, overrides: EndpointOverrides = {}): EndpointSpec {
  const gpuCount =
    overrides.gpuCount ?? model.gpus.g5 ?? model.gpus.g6 ?? model.gpus.g6e ?? ENDPOINT_DEFAULTS.gpuCount;
  const sized = workerDefaults(gpuCount);
  const spec: EndpointSpec = {
    name: overrides.name ?? model.name,
    namespace: overrides.namespace ?? ENDPOINT_NAMESPACE,
    model: overrides.model ?? model.model,
    gpuCount,
    minReplicas: overrides.minReplicas ?? ENDPOINT_DEFAULTS.minReplicas,
    maxReplicas: overrides.maxReplicas ?? ENDPOINT_DEFAULTS.maxReplicas,
    workerMemory: overrides.workerMemory ?? sized.workerMemory,
    workerCpu: overrides.workerCpu ?? sized.workerCpu,
    maxModelLen: overrides.maxModelLen ?? model.defaultMaxModelLen,
  };
  if (overrides.rayImage !== undefined) spec.rayImage = overrides.rayImage;
  if (overrides.instanceFamilies !== undefined) spec.instanceFamilies = overrides.instanceFamilies;
  return spec;
}
