/**
 * The per-stage summary shown before an apply, computed from `terraform show -json <planfile>`
 * (resource_changes[].change.actions; a replacement counts as one add and one destroy, as in
 * Terraform's own "Plan: X to add, Y to change, Z to destroy").
 */

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** Output values that change (an apply is still needed to record them). */
  outputs: number;
  /** Addresses by action, for the confirmation prompt and --json. */
  resources: { address: string; action: "create" | "update" | "delete" | "replace" }[];
}

interface ShowJson {
  resource_changes?: { address?: string; change?: { actions?: string[] } }[];
  output_changes?: Record<string, { actions?: string[] }>;
}

export function summarizePlan(show: unknown): PlanSummary {
  const plan = (show ?? {}) as ShowJson;
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0, outputs: 0, resources: [] };
  // Stryker disable next-line ArrayDeclaration: a string element has no .change, so it counts as no action
  for (const rc of plan.resource_changes ?? []) {
    // Stryker disable next-line ArrayDeclaration: a made-up action is none of create/update/delete, like no action
    const actions = rc.change?.actions ?? [];
    const address = rc.address ?? "?";
    if (actions.includes("create") && actions.includes("delete")) {
      summary.add += 1;
      summary.destroy += 1;
      summary.resources.push({ address, action: "replace" });
    } else if (actions.includes("create")) {
      summary.add += 1;
      summary.resources.push({ address, action: "create" });
    } else if (actions.includes("update")) {
      summary.change += 1;
      summary.resources.push({ address, action: "update" });
    } else if (actions.includes("delete")) {
      summary.destroy += 1;
      summary.resources.push({ address, action: "delete" });
    }
  }
  for (const oc of Object.values(plan.output_changes ?? {})) {
    const actions = oc.actions ?? [];
    if (actions.some((a) => a !== "no-op")) summary.outputs += 1;
  }
  return summary;
}

export function planHasChanges(summary: PlanSummary): boolean {
  return summary.add + summary.change + summary.destroy + summary.outputs > 0;
}

export function formatPlanSummary(summary: PlanSummary): string {
  if (!planHasChanges(summary)) return "no changes";
  const parts = [`+${summary.add} to add`, `~${summary.change} to change`, `-${summary.destroy} to destroy`];
  if (summary.add + summary.change + summary.destroy === 0) return `${summary.outputs} output(s) change`;
  return parts.join(", ");
}
