/**
 * Applications whose git source still holds a placeholder repoURL (argocd/ as shipped, before
 * `aiplat init`): ArgoCD could never clone them, so bootstrap refuses before applying anything.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import { isPlaceholder } from "../../core/doctor/placeholders.js";

interface Source {
  repoURL?: unknown;
  chart?: unknown;
}

export function applicationsWithUnsetRepo(objects: readonly KubeObject[]): string[] {
  const names: string[] = [];
  for (const object of objects) {
    if (object.kind !== "Application") continue;
    const spec = (object as { spec?: { source?: Source; sources?: Source[] } }).spec;
    const sources = [...(spec?.source ? [spec.source] : []), ...(spec?.sources ?? [])];
    // Helm chart sources name a chart repository, never this fork.
    const unset = sources.some(
      (s) => s.chart === undefined && typeof s.repoURL === "string" && isPlaceholder(s.repoURL),
    );
    if (unset) names.push(object.metadata.name ?? "");
  }
  return names;
}
