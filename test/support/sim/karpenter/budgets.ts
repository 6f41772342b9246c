import { isDeleting, type KubeObject, labelsOf } from "../runtime/kube.js";

/**
 * NodePool disruption budgets (kubernetes-sigs/karpenter v1.14.1, pkg/apis/v1/nodepool.go
 * `GetAllowedDisruptionsByReason`; docs concepts/disruption.md "Disruption Budgets"): each budget
 * caps how many of the pool's nodes may be disrupted at once for the reasons it lists (all
 * reasons when it lists none) — a number, or a percentage of the pool's nodes rounded up; no
 * budgets means `nodes: 10%`. Nodes already being deleted count against it.
 * Simplification: a budget with a `schedule` is treated as always active.
 */
interface Budget {
  nodes?: string;
  reasons?: string[];
}

export function allowedDisruptions(pool: KubeObject, claims: KubeObject[], reason: string): number {
  const name = pool.metadata?.name ?? "";
  const mine = claims.filter((c) => labelsOf(c)["karpenter.sh/nodepool"] === name);
  const disrupting = mine.filter((c) => isDeleting(c)).length;
  const budgets = ((pool.spec as { disruption?: { budgets?: Budget[] } } | undefined)?.disruption
    ?.budgets ?? [{ nodes: "10%" }]) as Budget[];
  let allowed = Number.POSITIVE_INFINITY;
  for (const b of budgets) {
    if (b.reasons && b.reasons.length > 0 && !b.reasons.includes(reason)) continue;
    const value = b.nodes ?? "10%";
    const cap = value.endsWith("%")
      ? Math.ceil((Number(value.slice(0, -1)) * mine.length) / 100)
      : Number(value);
    allowed = Math.min(allowed, cap);
  }
  return Math.max(0, allowed - disrupting);
}
