import { describeLeftover, formatHourly, type Leftover } from "../../core/destroy/leftovers.js";
import type { DestroyPlan } from "../../core/destroy/plan.js";

/** The plan as people read it: numbered steps, what each acts on, the evidence that ends it. */
export function renderPlan(plan: DestroyPlan, cloud: readonly Leftover[] | string): string {
  const lines = [`Teardown plan for environment ${plan.env} (cluster ${plan.clusterName}):`];
  plan.steps.forEach((step, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${step.title}${step.skip ? ` — skipped: ${step.skip}` : ""}`);
    if (step.skip) return;
    for (const what of step.actsOn.slice(0, 8)) lines.push(`      - ${what}`);
    if (step.actsOn.length > 8) lines.push(`      … and ${step.actsOn.length - 8} more`);
    lines.push(`      ends when: ${step.evidence}`);
  });
  if (typeof cloud === "string") lines.push("", `AWS could not be read: ${cloud}`);
  else if (cloud.length > 0) {
    lines.push("", `In AWS now for ${plan.clusterName} (${formatHourly(plan.hourlyCostNow ?? 0)}):`);
    for (const l of cloud.slice(0, 20)) lines.push(`  ${describeLeftover(l)}`);
    if (cloud.length > 20) lines.push(`  … and ${cloud.length - 20} more`);
  }
  return lines.join("\n");
}

export function renderLeftovers(items: readonly Leftover[]): string[] {
  return items.map((l) => `  - ${describeLeftover(l)}`);
}
