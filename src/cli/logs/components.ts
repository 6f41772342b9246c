/**
 * Which pods make up an endpoint, by the labels the InferenceEndpoint RGD and KubeRay put on them
 * (platform/kro-definitions/inference-endpoint.yaml: `app.kubernetes.io/instance: <endpoint>` on
 * the Ray pod templates and the registration Job's template; KubeRay: `ray.io/node-type`).
 */
import type { Pod } from "../../core/rollout/types.js";
import { INSTANCE_LABEL, NODE_TYPE_LABEL } from "../../core/status/endpoints.js";

export const COMPONENTS = ["head", "worker", "register"] as const;
export type Component = (typeof COMPONENTS)[number];

const REGISTRATION = "litellm-registration";

export function endpointPodSelector(endpoint: string): string {
  return `${INSTANCE_LABEL}=${endpoint}`;
}

export function componentOf(pod: Pod): Component | undefined {
  const labels = pod.metadata?.labels ?? {};
  if (labels["app.kubernetes.io/component"] === REGISTRATION) return "register";
  if (labels[NODE_TYPE_LABEL] === "head") return "head";
  if (labels[NODE_TYPE_LABEL] === "worker") return "worker";
  return undefined;
}

/** Head first, then workers, then the registration Job's pods; by age within each. */
export function orderPods(pods: readonly Pod[], wanted: Component | undefined): Pod[] {
  const rank = (p: Pod) => COMPONENTS.indexOf(componentOf(p) ?? "register");
  return pods
    .filter((p) => componentOf(p) !== undefined && (wanted === undefined || componentOf(p) === wanted))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") ||
        (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
    );
}

/** The pod's main container: the first one in its spec (ray-head, ray-worker, register). */
export function mainContainer(pod: Pod): string | undefined {
  const containers = (pod.spec as { containers?: { name?: string }[] } | undefined)?.containers;
  return containers?.[0]?.name;
}
