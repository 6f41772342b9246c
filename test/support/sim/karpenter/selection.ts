import { INSTANCE_TYPES, type InstanceType, nodeResources, parseQuantity } from "../cloud/instance-types.js";
import {
  matchesRequiredAffinity,
  matchesSelector,
  nodeSelectorOf,
  podRequests,
  type Resources,
  tolerates,
  tolerationsOf,
} from "../kube/scheduling.js";
import type { KubeObject } from "../runtime/kube.js";

/**
 * Karpenter's provisioning decision for one pending Pod: which NodePool may take it (its template
 * labels satisfy the Pod's nodeSelector, its taints are tolerated) and the cheapest instance type
 * its requirements allow that fits the Pod and stays within the pool's limits. Requirements
 * understood: instance-family, instance-category, instance-generation (Gt/Lt), instance-type,
 * capacity-type (on-demand preferred), kubernetes.io/arch. The Pod's required node affinity
 * narrows the types further, as Karpenter adds it to the pool's requirements (Karpenter docs,
 * "Scheduling": Node Affinity; a type is kept when the labels its node would carry satisfy one
 * of the Pod's terms).
 */
interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface PoolTemplate {
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  requirements: Requirement[];
  nodeClassRef?: Record<string, unknown>;
}

export function poolTemplate(pool: KubeObject): PoolTemplate {
  const tmpl = ((pool.spec as { template?: Record<string, unknown> } | undefined)?.template ?? {}) as {
    metadata?: { labels?: Record<string, string> };
    spec?: {
      taints?: PoolTemplate["taints"];
      requirements?: Requirement[];
      nodeClassRef?: Record<string, unknown>;
    };
  };
  return {
    labels: { ...(tmpl.metadata?.labels ?? {}), "karpenter.sh/nodepool": pool.metadata?.name ?? "" },
    taints: tmpl.spec?.taints ?? [],
    requirements: tmpl.spec?.requirements ?? [],
    nodeClassRef: tmpl.spec?.nodeClassRef,
  };
}

function satisfies(req: Requirement, value: string | number): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return values.includes(String(value));
    case "NotIn":
      return !values.includes(String(value));
    case "Gt":
      return Number(value) > Number(values[0]);
    case "Lt":
      return Number(value) < Number(values[0]);
    case "Exists":
      return true;
    default:
      return true;
  }
}

export function allowedTypes(template: PoolTemplate): InstanceType[] {
  return INSTANCE_TYPES.filter((t) =>
    template.requirements.every((req) => {
      switch (req.key) {
        case "karpenter.k8s.aws/instance-family":
          return satisfies(req, t.family);
        case "karpenter.k8s.aws/instance-category":
          return satisfies(req, t.category);
        case "karpenter.k8s.aws/instance-generation":
          return satisfies(req, t.generation);
        case "node.kubernetes.io/instance-type":
          return satisfies(req, t.name);
        case "kubernetes.io/arch":
          return satisfies(req, "amd64");
        default:
          return true;
      }
    }),
  );
}

/** The labels a node of this type launched from this pool carries (what node affinity is matched against). */
function typeLabels(template: PoolTemplate, t: InstanceType): Record<string, string> {
  return {
    ...template.labels,
    "karpenter.k8s.aws/instance-family": t.family,
    "karpenter.k8s.aws/instance-category": t.category,
    "karpenter.k8s.aws/instance-generation": String(t.generation),
    "node.kubernetes.io/instance-type": t.name,
    "kubernetes.io/arch": "amd64",
    "karpenter.sh/capacity-type": capacityType(template),
  };
}

/** The pool's allowed types that the Pod's required node affinity also allows. */
export function typesForPod(template: PoolTemplate, pod: KubeObject): InstanceType[] {
  return allowedTypes(template).filter((t) => matchesRequiredAffinity(typeLabels(template, t), pod));
}

export function capacityType(template: PoolTemplate): string {
  const req = template.requirements.find((r) => r.key === "karpenter.sh/capacity-type");
  if (!req || (req.values ?? []).includes("on-demand")) return "on-demand";
  return req.values?.[0] ?? "on-demand";
}

export type PoolMatch = { ok: true } | { ok: false; reason: string };

export function podMatchesPool(pod: KubeObject, template: PoolTemplate): PoolMatch {
  const selector = nodeSelectorOf(pod);
  if (!matchesSelector(template.labels, selector)) {
    const [k, v] = Object.entries(selector).find(([key, value]) => template.labels[key] !== value) ?? [
      "",
      "",
    ];
    return { ok: false, reason: `label "${k}" does not have known values (${k}=${v} not offered)` };
  }
  const untolerated = template.taints.filter(
    (t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(tolerationsOf(pod), t),
  );
  if (untolerated.length > 0) {
    const t = untolerated[0]!;
    return { ok: false, reason: `did not tolerate ${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}` };
  }
  return { ok: true };
}

export function typeFits(type: InstanceType, want: Resources): boolean {
  const alloc = nodeResources(type).allocatable;
  return (
    parseQuantity(alloc["nvidia.com/gpu"]) >= want.gpu &&
    parseQuantity(alloc.cpu) >= want.cpu &&
    parseQuantity(alloc.memory) >= want.memory
  );
}

/** Remaining room under the pool's `limits` (cpu, memory, nvidia.com/gpu), given what it runs. */
export function withinLimits(pool: KubeObject, inUse: Resources, type: InstanceType): boolean {
  const limits = ((pool.spec as { limits?: Record<string, unknown> } | undefined)?.limits ?? {}) as Record<
    string,
    unknown
  >;
  if (
    limits["nvidia.com/gpu"] !== undefined &&
    inUse.gpu + type.gpus > parseQuantity(limits["nvidia.com/gpu"])
  )
    return false;
  if (limits.cpu !== undefined && inUse.cpu + type.vcpu > parseQuantity(limits.cpu)) return false;
  if (limits.memory !== undefined && inUse.memory + type.memoryGiB * 1024 ** 3 > parseQuantity(limits.memory))
    return false;
  return true;
}

export { podRequests };
