import { type DeleteOptions, deleteObject } from "./deletion.js";
import { KubeError, notFound } from "./errors.js";
import type { ObjectStore } from "./object-store.js";
import { parseLabelSelector } from "./selectors.js";
import type { KubeObject, ResourceType } from "./types.js";

/**
 * The Eviction subresource (policy/v1, `POST pods/<name>/eviction`), as kube-apiserver's
 * pkg/registry/core/pod/storage/eviction.go answers it: a pod that is terminal, Pending or
 * already being deleted is deleted without looking at budgets; otherwise the one
 * PodDisruptionBudget selecting it must allow a disruption (429 TooManyRequests with the real
 * message when it does not; 500 when several budgets select the pod). A pod that is not Ready
 * may go while its budget is healthy (`unhealthyPodEvictionPolicy: IfHealthyBudget`, the
 * default) or always (`AlwaysAllow`).
 *
 * Simplification: the real server reads `status.disruptionsAllowed`, which the disruption
 * controller keeps current; this server computes the same numbers from the live pods at the
 * moment of the eviction (healthy = Ready and not being deleted; expected = the pods the budget
 * selects).
 */
export interface EvictOptions {
  /** deleteOptions.preconditions.uid of the Eviction body (409 when it no longer matches). */
  uid?: string;
  /** deleteOptions.gracePeriodSeconds of the Eviction body. */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface BudgetNumbers {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

const TOO_MANY_PDBS =
  "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

const typeOf = (store: ObjectStore, kind: "Pod" | "PodDisruptionBudget"): ResourceType =>
  kind === "Pod" ? store.registry.require("v1", "Pod") : store.registry.require("policy/v1", kind);

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions;
  return (conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

function phaseOf(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? "Pending";
}

/** Pods a budget's selector picks (policy/v1: an empty selector picks every pod of the namespace). */
function selects(pdb: KubeObject, pod: KubeObject): boolean {
  const selector = (pdb.spec as { selector?: Record<string, unknown> } | undefined)?.selector;
  if (!selector) return false;
  return labelSelectorMatches(selector, pod.metadata?.labels ?? {});
}

function labelSelectorMatches(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  const parts: string[] = [];
  for (const [k, v] of Object.entries((selector.matchLabels as Record<string, string>) ?? {}))
    parts.push(`${k}=${v}`);
  for (const e of (selector.matchExpressions as { key: string; operator: string; values?: string[] }[]) ??
    []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parseLabelSelector(parts.join(","))({ metadata: { labels } });
}

/** `minAvailable`/`maxUnavailable` as integers or percentages (rounded up, as the controller does). */
function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.endsWith("%"))
    return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  if (typeof value === "string" && value !== "") return Number(value);
  return undefined;
}

/** What the disruption controller would write into the budget's status right now. */
export function budgetNumbers(store: ObjectStore, pdb: KubeObject): BudgetNumbers {
  const pods = store
    .entries(typeOf(store, "Pod"), pdb.metadata?.namespace)
    .map((e) => e.object)
    .filter((p) => selects(pdb, p));
  const expectedPods = pods.length;
  const currentHealthy = pods.filter((p) => !p.metadata?.deletionTimestamp && isPodReady(p)).length;
  const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  const minAvailable = scaled(spec.minAvailable, expectedPods);
  const maxUnavailable = scaled(spec.maxUnavailable, expectedPods);
  const desiredHealthy =
    minAvailable ?? (maxUnavailable === undefined ? 0 : Math.max(0, expectedPods - maxUnavailable));
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

export function evictPod(
  store: ObjectStore,
  namespace: string,
  name: string,
  opts: EvictOptions = {},
): KubeObject {
  const podType = typeOf(store, "Pod");
  const pod = store.find(podType, namespace, name)?.object;
  if (!pod) throw notFound("pods", "", name);
  if (opts.uid && opts.uid !== pod.metadata?.uid) {
    throw new KubeError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on pods "${name}": the UID in the precondition (${opts.uid}) does not match the UID in record (${pod.metadata?.uid}). The object might have been deleted and then recreated`,
      { name, group: "", kind: "pods" },
    );
  }
  const deleteOpts: DeleteOptions = { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun };
  const phase = phaseOf(pod);
  const ignoresBudgets =
    phase === "Succeeded" ||
    phase === "Failed" ||
    phase === "Pending" ||
    Boolean(pod.metadata?.deletionTimestamp);
  if (ignoresBudgets) return deleteObject(store, podType, namespace, name, deleteOpts).object;
  const budgets = store
    .entries(typeOf(store, "PodDisruptionBudget"), namespace)
    .map((e) => e.object)
    .filter((pdb) => selects(pdb, pod));
  if (budgets.length > 1) throw new KubeError(500, "InternalError", TOO_MANY_PDBS);
  const pdb = budgets[0];
  if (pdb) {
    const numbers = budgetNumbers(store, pdb);
    const policy = (pdb.spec as { unhealthyPodEvictionPolicy?: string }).unhealthyPodEvictionPolicy;
    const unhealthyMayGo =
      !isPodReady(pod) && (policy === "AlwaysAllow" || numbers.currentHealthy >= numbers.desiredHealthy);
    if (!unhealthyMayGo && numbers.disruptionsAllowed <= 0) {
      throw new KubeError(
        429,
        "TooManyRequests",
        "Cannot evict pod as it would violate the pod's disruption budget.",
        {
          causes: [
            {
              type: "DisruptionBudget",
              message: `The disruption budget ${pdb.metadata?.name} needs ${numbers.desiredHealthy} healthy pods and has ${numbers.currentHealthy} currently`,
            },
          ],
        },
      );
    }
  }
  return deleteObject(store, podType, namespace, name, deleteOpts).object;
}
