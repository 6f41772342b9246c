import { parseQuantity } from "../cloud/instance-types.js";
import { isConditionTrue, isDeleting, type KubeObject } from "../runtime/kube.js";

/**
 * The kube-scheduler's filter step for what the platform uses: nodeSelector, taints and
 * tolerations (NoSchedule/NoExecute), and resource requests (cpu, memory, nvidia.com/gpu) against
 * the node's allocatable minus the Pods already bound to it, and required node affinity
 * (requiredDuringSchedulingIgnoredDuringExecution: the terms are ORed, a term's matchExpressions
 * ANDed; In, NotIn, Exists, DoesNotExist, Gt, Lt — Kubernetes docs, "Assigning Pods to Nodes",
 * and k8s.io/component-helpers nodeaffinity). Preferred affinity and topology spread are not
 * evaluated (they only rank nodes; ScheduleAnyway spread never blocks).
 */
export interface Resources {
  cpu: number;
  memory: number;
  gpu: number;
}

interface Container {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function podRequests(pod: KubeObject): Resources {
  const spec = (pod.spec ?? {}) as { containers?: Container[] };
  const total: Resources = { cpu: 0, memory: 0, gpu: 0 };
  for (const c of spec.containers ?? []) {
    const req = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
    total.cpu += parseQuantity(req.cpu);
    total.memory += parseQuantity(req.memory);
    total.gpu += parseQuantity(req["nvidia.com/gpu"]);
  }
  return total;
}

export function nodeAllocatable(node: KubeObject): Resources {
  const alloc = ((node.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ??
    {}) as Record<string, unknown>;
  return {
    cpu: parseQuantity(alloc.cpu),
    memory: parseQuantity(alloc.memory),
    gpu: parseQuantity(alloc["nvidia.com/gpu"]),
  };
}

export function nodeSelectorOf(pod: KubeObject): Record<string, string> {
  return ((pod.spec as { nodeSelector?: Record<string, string> } | undefined)?.nodeSelector ?? {}) as Record<
    string,
    string
  >;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** The pod's required node affinity terms; empty when it has none (then every node matches). */
export function requiredAffinityTerms(pod: KubeObject): NodeSelectorRequirement[][] {
  const affinity = (
    pod.spec as
      | {
          affinity?: {
            nodeAffinity?: {
              requiredDuringSchedulingIgnoredDuringExecution?: {
                nodeSelectorTerms?: { matchExpressions?: NodeSelectorRequirement[] }[];
              };
            };
          };
        }
      | undefined
  )?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return (affinity?.nodeSelectorTerms ?? []).map((t) => t.matchExpressions ?? []);
}

export function satisfiesRequirement(labels: Record<string, string>, req: NodeSelectorRequirement): boolean {
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** Whether labels satisfy the pod's required node affinity (any term, every expression of it). */
export function matchesRequiredAffinity(labels: Record<string, string>, pod: KubeObject): boolean {
  const terms = requiredAffinityTerms(pod);
  return terms.length === 0 || terms.some((term) => term.every((req) => satisfiesRequirement(labels, req)));
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  return ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []) as Toleration[];
}

export function matchesSelector(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

export function blockingTaints(node: KubeObject, tolerations: Toleration[]): Taint[] {
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[];
  return taints.filter(
    (t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(tolerations, t),
  );
}

export type FitResult = { fits: true } | { fits: false; reason: string };

export function fitPodOnNode(pod: KubeObject, node: KubeObject, boundPods: KubeObject[]): FitResult {
  if (isDeleting(node) || !isConditionTrue(node, "Ready")) return { fits: false, reason: "not-ready" };
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable)
    return { fits: false, reason: "unschedulable" };
  const labels = node.metadata?.labels ?? {};
  if (!matchesSelector(labels, nodeSelectorOf(pod)) || !matchesRequiredAffinity(labels, pod))
    return { fits: false, reason: "selector" };
  const taints = blockingTaints(node, tolerationsOf(pod));
  if (taints.length > 0) {
    const t = taints[0]!;
    return { fits: false, reason: `taint:{${t.key}: ${t.value ?? ""}}` };
  }
  const want = podRequests(pod);
  const alloc = nodeAllocatable(node);
  const used: Resources = { cpu: 0, memory: 0, gpu: 0 };
  for (const p of boundPods) {
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    const r = podRequests(p);
    used.cpu += r.cpu;
    used.memory += r.memory;
    used.gpu += r.gpu;
  }
  if (want.gpu > 0 && used.gpu + want.gpu > alloc.gpu)
    return { fits: false, reason: "Insufficient nvidia.com/gpu" };
  if (alloc.cpu > 0 && used.cpu + want.cpu > alloc.cpu + 1e-9)
    return { fits: false, reason: "Insufficient cpu" };
  if (alloc.memory > 0 && used.memory + want.memory > alloc.memory)
    return { fits: false, reason: "Insufficient memory" };
  return { fits: true };
}

/** The scheduler's FailedScheduling message, e.g. "0/2 nodes are available: 2 node(s) didn't match…". */
export function describeUnschedulable(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) {
    if (r === "not-ready") continue;
    const text =
      r === "selector"
        ? "node(s) didn't match Pod's node affinity/selector"
        : r === "unschedulable"
          ? "node(s) were unschedulable"
          : r.startsWith("taint:")
            ? `node(s) had untolerated taint ${r.slice(6)}`
            : r;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  const parts = [...counts.entries()].map(([text, n]) => `${n} ${text}`).sort();
  const total = reasons.length;
  const detail = parts.length > 0 ? ` ${parts.join(", ")}.` : "";
  return `0/${total} nodes are available:${detail} preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
