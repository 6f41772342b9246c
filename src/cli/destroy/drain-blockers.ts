/**
 * Why a node's drain does not finish (karpenter.sh docs, concepts/disruption: eviction respects
 * PodDisruptionBudgets and `karpenter.sh/do-not-disrupt`; without terminationGracePeriod a
 * blocked drain waits forever). Names the pod and the PDB, and the user's choices.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import type { Cluster } from "../cluster-access.js";
import { PDB, POD, ref } from "./kinds.js";

interface PdbLike extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    minAvailable?: number | string;
    maxUnavailable?: number | string;
  };
  status?: { disruptionsAllowed?: number };
}

const isReady = (pod: KubeObject) =>
  !pod.metadata.deletionTimestamp &&
  ((pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === "Ready" && c.status === "True",
  );

/** An int-or-percent of `total` (Kubernetes rounds a percentage of minAvailable up). */
const scaled = (value: number | string | undefined, total: number): number | undefined =>
  value === undefined
    ? undefined
    : typeof value === "number"
      ? value
      : Math.ceil((Number.parseFloat(value) / 100) * total);

/**
 * How many evictions the budget allows: its status, which the disruption controller keeps; when
 * the status is not written yet (a budget just made), worked out from the spec as that
 * controller does (healthy pods minus the desired healthy count).
 */
function disruptionsAllowed(pdb: PdbLike, pods: readonly KubeObject[]): number {
  if (pdb.status?.disruptionsAllowed !== undefined) return pdb.status.disruptionsAllowed;
  const selected = pods.filter((p) => matches(pdb.spec?.selector?.matchLabels, p.metadata.labels));
  const healthy = selected.filter(isReady).length;
  const minAvailable = scaled(pdb.spec?.minAvailable, selected.length);
  const maxUnavailable = scaled(pdb.spec?.maxUnavailable, selected.length);
  const desired =
    minAvailable ?? (maxUnavailable === undefined ? 0 : Math.max(0, selected.length - maxUnavailable));
  return Math.max(0, healthy - desired);
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export async function explainDrainBlockers(
  cluster: Cluster,
  nodes: readonly KubeObject[],
): Promise<string[]> {
  const draining = nodes.filter((n) => n.metadata.deletionTimestamp);
  if (draining.length === 0) return [];
  let pdbs: PdbLike[] = [];
  try {
    pdbs = await cluster.objects.list<PdbLike>(PDB.apiVersion, PDB.kind);
  } catch {
    // No policy/v1 served: no PDB can block.
  }
  const out: string[] = [];
  for (const node of draining) {
    const name = node.metadata.name ?? "";
    let pods: KubeObject[] = [];
    try {
      pods = await cluster.objects.list(POD.apiVersion, POD.kind, { fieldSelector: `spec.nodeName=${name}` });
    } catch {
      continue;
    }
    const inNamespace = async (namespace: string | undefined) => {
      try {
        return await cluster.objects.list(POD.apiVersion, POD.kind, { namespace });
      } catch {
        return [] as KubeObject[];
      }
    };
    for (const pod of pods) {
      if (pod.metadata.annotations?.["karpenter.sh/do-not-disrupt"] === "true") {
        out.push(
          `drain of node ${name} waits for pod ${ref(pod)} (annotated karpenter.sh/do-not-disrupt=true); choices: remove the annotation or delete the pod`,
        );
        continue;
      }
      const candidates = pdbs.filter(
        (p) =>
          p.metadata.namespace === pod.metadata.namespace &&
          matches(p.spec?.selector?.matchLabels, pod.metadata.labels),
      );
      const siblings = candidates.length > 0 ? await inNamespace(pod.metadata.namespace) : [];
      const pdb = candidates.find((p) => disruptionsAllowed(p, siblings) === 0);
      if (pdb)
        out.push(
          `drain of node ${name} blocked by PodDisruptionBudget ${ref(pdb)} (pod ${ref(pod)}, 0 disruptions allowed); choices: delete or relax the PDB (\`kubectl delete pdb -n ${pdb.metadata.namespace} ${pdb.metadata.name}\`), scale the workload down, or wait`,
        );
    }
  }
  return out;
}
