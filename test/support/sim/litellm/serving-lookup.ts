/**
 * Which serving profile answers for a registered model: the GPU card of the node its Ray worker runs
 * on (the node's `node.kubernetes.io/instance-type` → the family's card) and the shape of the model
 * the InferenceEndpoint declares (from the catalog in templates/models.yaml, matched by HuggingFace
 * id; an 8B Llama-like shape when the model is not in the catalog), on the worker's GPU count.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CatalogModel, parseCatalog } from "../../../../src/core/catalog/catalog.js";
import { GPU_CARDS } from "../../../../src/core/fit/gpu-types.js";
import { repoRoot } from "../../paths.js";
import { type KubeObject, type Store, tryList } from "../runtime/kube.js";
import { rayServiceOf } from "./registration.js";
import type { RegisteredModel } from "./server.js";
import type { ModelShape, ServingProfile } from "./serving-model.js";
import { servingProfile } from "./serving-model.js";

const FALLBACK_SHAPE: ModelShape = { parametersB: 8, layers: 32, kvHeads: 8, headDim: 128 };

let catalog: CatalogModel[] | undefined;
export function catalogModels(): CatalogModel[] {
  catalog ??= parseCatalog(readFileSync(join(repoRoot, "templates", "models.yaml"), "utf8"));
  return catalog;
}

type Endpoint = KubeObject & { spec?: { model?: string; gpuCount?: number } };
const nodeNameOf = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;

export function createProfileLookup(store: Store): (model: RegisteredModel) => ServingProfile | undefined {
  return (model) => {
    const target = rayServiceOf(model.litellm_params.api_base);
    if (!target) return undefined;
    const endpoint = tryList(store, "kro.run/v1alpha1", "InferenceEndpoint", {
      namespace: target.namespace,
    }).find((e) => e.metadata?.name === target.name) as Endpoint | undefined;
    const worker = tryList(store, "v1", "Pod", {
      namespace: target.namespace,
      labelSelector: `app.kubernetes.io/instance=${target.name},ray.io/node-type=worker`,
    }).find((p) => nodeNameOf(p) !== undefined);
    const nodeName = worker ? nodeNameOf(worker) : undefined;
    const node = tryList(store, "v1", "Node").find((n) => n.metadata?.name === nodeName);
    const type = node?.metadata?.labels?.["node.kubernetes.io/instance-type"] ?? "";
    const family = type.slice(0, type.indexOf(".")) as keyof typeof GPU_CARDS;
    const card = GPU_CARDS[family]?.card;
    if (card === undefined) return undefined;
    const shape = catalogModels().find((m) => m.model === endpoint?.spec?.model) ?? FALLBACK_SHAPE;
    return servingProfile(card, shape, endpoint?.spec?.gpuCount ?? 1);
  };
}
