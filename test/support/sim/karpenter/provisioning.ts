import { findInstanceType, type InstanceType } from "../cloud/instance-types.js";
import type { Resources } from "../kube/scheduling.js";
import { type KubeObject, labelsOf, ownerReference, recordEvent, type Store } from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
import {
  capacityType,
  podMatchesPool,
  podRequests,
  poolTemplate,
  typeFits,
  typesForPod,
  withinLimits,
} from "./selection.js";

/**
 * Karpenter's provisioning step for one pending Pod: the first NodePool that can take it and the
 * cheapest available offering that fits within the pool's limits — or every reason it cannot —
 * and the NodeClaim it creates for that choice.
 */
export const API = "karpenter.sh/v1";
export const MANAGER = "karpenter";
export const FINALIZER = "karpenter.sh/termination";

export type Choice =
  | { pool: KubeObject; template: ReturnType<typeof poolTemplate>; type: InstanceType }
  | { reasons: string[] };

function poolUsage(claims: KubeObject[], pool: string): Resources {
  const used: Resources = { cpu: 0, memory: 0, gpu: 0 };
  for (const c of claims) {
    if (labelsOf(c)["karpenter.sh/nodepool"] !== pool) continue;
    const type = findInstanceType(labelsOf(c)["node.kubernetes.io/instance-type"] ?? "");
    if (!type) continue;
    used.cpu += type.vcpu;
    used.memory += type.memoryGiB * 1024 ** 3;
    used.gpu += type.gpus;
  }
  return used;
}

export function chooseOffering(
  pod: KubeObject,
  pools: KubeObject[],
  claims: KubeObject[],
  unavailableUntil: Map<string, number>,
  now: number,
): Choice {
  const want = podRequests(pod);
  const reasons: string[] = [];
  for (const pool of pools) {
    const name = pool.metadata?.name ?? "";
    const template = poolTemplate(pool);
    const match = podMatchesPool(pod, template);
    if (!match.ok) {
      reasons.push(`incompatible with nodepool "${name}", ${match.reason}`);
      continue;
    }
    const candidates = typesForPod(template, pod)
      .filter((t) => typeFits(t, want))
      .filter((t) => (unavailableUntil.get(t.name) ?? -1) < now)
      .sort((a, b) => a.hourlyPrice - b.hourlyPrice);
    const usage = poolUsage(claims, name);
    const type = candidates.find((t) => withinLimits(pool, usage, t));
    if (type) return { pool, template, type };
    reasons.push(
      candidates.length > 0
        ? `nodepool "${name}" has reached its limits`
        : `no instance type of nodepool "${name}" satisfied the resources and requirements (all offerings unavailable or too small)`,
    );
  }
  return { reasons };
}

const templateSpec = (pool: KubeObject): { expireAfter?: string; terminationGracePeriod?: string } =>
  (
    pool.spec as
      | { template?: { spec?: { expireAfter?: string; terminationGracePeriod?: string } } }
      | undefined
  )?.template?.spec ?? {};

export function createNodeClaim(
  store: Store,
  random: Random,
  pool: KubeObject,
  template: ReturnType<typeof poolTemplate>,
  type: InstanceType,
): KubeObject {
  const poolName = pool.metadata?.name ?? "";
  const claim = store.create(
    {
      apiVersion: API,
      kind: "NodeClaim",
      metadata: {
        name: `${poolName}-${random.suffix()}`,
        labels: {
          ...template.labels,
          "node.kubernetes.io/instance-type": type.name,
          "karpenter.sh/capacity-type": capacityType(template),
          "karpenter.k8s.aws/instance-family": type.family,
        },
        finalizers: [FINALIZER],
        ownerReferences: [ownerReference(pool, false)],
      },
      spec: {
        nodeClassRef: template.nodeClassRef,
        requirements: template.requirements,
        taints: template.taints,
        expireAfter: templateSpec(pool).expireAfter,
        terminationGracePeriod: templateSpec(pool).terminationGracePeriod,
      },
    },
    { fieldManager: MANAGER },
  );
  recordEvent(store, claim, "Normal", "Launching", `Launching NodeClaim: ${type.name}`, MANAGER);
  return claim;
}
