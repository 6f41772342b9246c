/**
 * Why a Ray Serve LLM replica fails to start, decided when the model starts loading on a ready
 * RayCluster, in the words the real stack prints:
 *
 * - A gated HuggingFace repository without a token in the worker's HF_TOKEN (the RGD reads it from
 *   the optional Secret inference/hf-token): huggingface_hub's `GatedRepoError` for a 401 on the
 *   first file it fetches (utils/_http.py `hf_raise_for_status`, "Cannot access gated repo for url
 *   …" followed by the Hub's "Access to model … is restricted. You must have access to it and be
 *   authenticated to access it. Please log in.").
 * - Weights that do not fit the GPUs: torch's `OutOfMemoryError` from the CUDA caching allocator
 *   (c10/cuda/CUDACachingAllocator.cpp) while vLLM loads a layer; weights that fit but leave no room
 *   under `gpu_memory_utilization`: vLLM's "No available memory for the cache blocks" ValueError;
 *   room, but not for one sequence of `max_model_len`: vLLM V1's "To serve at least one request with
 *   the models's max seq len …" ValueError (v1/core/kv_cache_utils.py).
 *
 * The token is what the worker's environment held when its container started, as Kubernetes
 * resolves `secretKeyRef` env once per container start: a Secret created later helps only after
 * the workers restart.
 */
import { parse as parseYaml } from "yaml";
import { bytesPerParameter } from "../../../../src/core/fit/estimate.js";
import { GPU_CARDS } from "../../../../src/core/fit/gpu-types.js";
import { catalogModels } from "../litellm/serving-lookup.js";
import { type KubeObject, labelsOf, type Store, tryGet, tryList } from "../runtime/kube.js";

const GIB = 1024 ** 3;
/** CUDA context and NCCL buffers that are on the card before the first weight (about 0.5 GiB). */
const CONTEXT_GIB = 0.5;
/** vLLM's activation profile run: what the KV cache cannot have under gpu_memory_utilization. */
const ACTIVATIONS_GIB = 1;

interface LlmConfig {
  modelId: string;
  source: string;
  tensorParallel: number;
  memoryUtilization: number;
  maxModelLen: number | undefined;
}

function llmConfigOf(serveConfig: string | undefined): LlmConfig | undefined {
  if (!serveConfig) return undefined;
  try {
    const doc = parseYaml(serveConfig) as {
      applications?: {
        args?: {
          llm_configs?: {
            model_loading_config?: { model_id?: unknown; model_source?: unknown };
            engine_kwargs?: {
              tensor_parallel_size?: unknown;
              gpu_memory_utilization?: unknown;
              max_model_len?: unknown;
            };
          }[];
        };
      }[];
    };
    const llm = doc.applications?.[0]?.args?.llm_configs?.[0];
    const id = llm?.model_loading_config?.model_id;
    if (id === undefined) return undefined;
    return {
      modelId: String(id),
      source: String(llm?.model_loading_config?.model_source ?? id),
      tensorParallel: Number(llm?.engine_kwargs?.tensor_parallel_size ?? 1) || 1,
      memoryUtilization: Number(llm?.engine_kwargs?.gpu_memory_utilization ?? 0.9) || 0.9,
      maxModelLen: Number(llm?.engine_kwargs?.max_model_len) || undefined,
    };
  } catch {
    return undefined;
  }
}

type Container = {
  env?: { name?: string; value?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }[];
};

/** HF_TOKEN of the worker's first container as the kubelet resolved it: literal or from a Secret. */
function workerToken(store: Store, pod: KubeObject): string | undefined {
  const containers = ((pod.spec as { containers?: Container[] } | undefined)?.containers ??
    []) as Container[];
  const entry = containers[0]?.env?.find((e) => e.name === "HF_TOKEN");
  if (!entry) return undefined;
  if (entry.value) return entry.value;
  const ref = entry.valueFrom?.secretKeyRef;
  if (!ref?.name || !ref.key) return undefined;
  const secret = tryGet(store, {
    apiVersion: "v1",
    kind: "Secret",
    name: ref.name,
    namespace: pod.metadata?.namespace,
  }) as (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
  const value = secret?.stringData?.[ref.key] ?? secret?.data?.[ref.key];
  return value ? value : undefined;
}

/** Card memory as torch reports `total_memory`: the data sheet's GB in GiB. */
function cardOf(store: Store, pod: KubeObject): { totalGiB: number } | undefined {
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const node = tryList(store, "v1", "Node").find((n) => n.metadata?.name === nodeName);
  const type = node?.metadata?.labels?.["node.kubernetes.io/instance-type"] ?? "";
  const card = GPU_CARDS[type.slice(0, type.indexOf(".")) as keyof typeof GPU_CARDS];
  return card ? { totalGiB: (card.memoryGiB * 1e9) / GIB } : undefined;
}

/** torch's format_size: bytes, then KiB/MiB/GiB with two decimals. */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(2)} KiB`;
  if (bytes < GIB) return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

function gatedError(source: string): string {
  return [
    "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-6a1f0c00-5f1e2d3c4b5a69788796a5b4)",
    "",
    `Cannot access gated repo for url https://huggingface.co/${source}/resolve/main/config.json.`,
    `Access to model ${source} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
  ].join("\n");
}

function outOfMemory(totalGiB: number, weightsGiB: number, layers: number): string {
  const layerBytes = (weightsGiB * GIB) / layers;
  const room = (totalGiB - CONTEXT_GIB) * GIB;
  const allocated = Math.floor(room / layerBytes) * layerBytes;
  const free = totalGiB * GIB - CONTEXT_GIB * GIB - allocated;
  return (
    `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${formatSize(layerBytes)}. ` +
    `GPU 0 has a total capacity of ${formatSize(totalGiB * GIB)} of which ${formatSize(free)} is free. ` +
    `Including non-PyTorch memory, this process has ${formatSize(allocated + CONTEXT_GIB * GIB)} memory in use. ` +
    `Of the allocated memory ${formatSize(allocated)} is allocated by PyTorch, and 0 bytes is reserved by PyTorch but unallocated. ` +
    "If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  " +
    "See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)"
  );
}

/** vLLM V1's check that one max_model_len sequence fits (v1/core/kv_cache_utils.py). */
function kvCacheTooSmall(maxModelLen: number, neededBytes: number, availableBytes: number, perToken: number) {
  const estimated = Math.floor(availableBytes / perToken).toLocaleString("en-US");
  return (
    `ValueError: To serve at least one request with the models's max seq len (${maxModelLen}), ` +
    `(${(neededBytes / GIB).toFixed(2)} GiB KV cache is needed, which is larger than the available KV cache memory (${(availableBytes / GIB).toFixed(2)} GiB). ` +
    `Based on the available memory, the estimated maximum model length is ${estimated}. ` +
    "Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."
  );
}

const NO_CACHE_BLOCKS =
  "ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.";

/**
 * The exception a replica of this cluster dies with, or undefined when the model loads. Gated
 * access is checked first (the download comes before any GPU allocation).
 */
export function modelLoadException(
  store: Store,
  cluster: KubeObject,
  serveConfig: string | undefined,
): string | undefined {
  const llm = llmConfigOf(serveConfig);
  if (!llm) return undefined;
  const worker = tryList(store, "v1", "Pod", {
    namespace: cluster.metadata?.namespace,
    labelSelector: `ray.io/cluster=${cluster.metadata?.name}`,
  }).find((p) => labelsOf(p)["ray.io/node-type"] === "worker" && !p.metadata?.deletionTimestamp);
  if (!worker) return undefined;
  const model = catalogModels().find((m) => m.model === llm.source);
  if (model?.gated && workerToken(store, worker) === undefined) return gatedError(llm.source);
  const card = cardOf(store, worker);
  if (!model || !card) return undefined;
  const weightsGiB = (model.parametersB * 1e9 * bytesPerParameter(llm.source)) / GIB / llm.tensorParallel;
  if (weightsGiB > card.totalGiB - CONTEXT_GIB) return outOfMemory(card.totalGiB, weightsGiB, model.layers);
  const availableGiB = card.totalGiB * llm.memoryUtilization - weightsGiB - ACTIVATIONS_GIB;
  if (availableGiB <= 0) return NO_CACHE_BLOCKS;
  if (llm.maxModelLen === undefined) return undefined;
  // K and V, bf16, per layer and KV head; tensor parallelism splits the KV heads over the GPUs.
  const perToken = (2 * model.layers * model.kvHeads * model.headDim * 2) / llm.tensorParallel;
  const needed = perToken * llm.maxModelLen;
  if (needed > availableGiB * GIB)
    return kvCacheTooSmall(llm.maxModelLen, needed, availableGiB * GIB, perToken);
  return undefined;
}

/** The replica's error as Ray Serve wraps it (serve/_private/deployment_state.py). */
export function replicaStartupFailure(deployment: string, exception: string): string {
  return [
    "The deployment failed to start 3 times in a row. This may be due to a problem with its constructor or initial health check failing. See controller logs for details. Retrying after 1 seconds. Error:",
    `ray::ServeReplica:llm:${deployment}.initialize_and_get_metadata() (pid=2741, ip=10.0.0.1)`,
    exception,
  ].join("\n");
}

/**
 * What `aiplat secret hf-token` stores (src/cli/secrets/run-hf-token.ts): inference/hf-token with
 * the token under `token`. The value is a fake the simulated Hub accepts; nothing checks it.
 */
export function storeHfToken(store: Store): void {
  if (!tryGet(store, { apiVersion: "v1", kind: "Namespace", name: "inference" })) return;
  if (tryGet(store, { apiVersion: "v1", kind: "Secret", name: "hf-token", namespace: "inference" })) return;
  store.create(
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "hf-token",
        namespace: "inference",
        labels: { "app.kubernetes.io/managed-by": "aiplat" },
      },
      type: "Opaque",
      data: { token: Buffer.from("hf_simulatedTokenForTheSimulatedHub0000").toString("base64") },
    },
    { fieldManager: "aiplat" },
  );
}
