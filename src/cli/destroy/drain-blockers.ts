/**
 * Why a node's drain does not finish (karpenter.sh docs, concepts/disruption: eviction respects
 * PodDisruptionBudgets and `karpenter.sh/do-not-disrupt`; without terminationGracePeriod a
 * blocked drain waits forever). Names the pod and the PDB, and the user's choices.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import type { Cluster } from "../cluster-access.js";
import { PDB, POD, ref } from "./kinds.js";

interface PdbLike extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string> } };
  status?: { disruptionsAllowed?: number };
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
    for (const pod of pods) {
      if (pod.metadata.annotations?.["karpenter.sh/do-not-disrupt"] === "true") {
        out.push(
          `drain of node ${name} waits for pod ${ref(pod)} (annotated karpenter.sh/do-not-disrupt=true); choices: remove the annotation or delete the pod`,
        );
        continue;
      }
      const pdb = pdbs.find(
        (p) =>
          p.metadata.namespace === pod.metadata.namespace &&
          (p.status?.disruptionsAllowed ?? 1) === 0 &&
          matches(p.spec?.selector?.matchLabels, pod.metadata.labels),
      );
      if (pdb)
        out.push(
          `drain of node ${name} blocked by PodDisruptionBudget ${ref(pdb)} (pod ${ref(pod)}, 0 disruptions allowed); choices: delete or relax the PDB (\`kubectl delete pdb -n ${pdb.metadata.namespace} ${pdb.metadata.name}\`), scale the workload down, or wait`,
        );
    }
  }
  return out;
}
