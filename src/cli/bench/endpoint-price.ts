/**
 * What the endpoint's GPUs cost per hour, as `status` prices nodes: the nodes its worker pods run
 * on (one list of pods and one of nodes, whatever the size of the cluster), each at the
 * approximate on-demand price of its instance type. The replicas are the Ready workers.
 */
import { ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import { findInstanceType } from "../../core/fit/gpu-types.js";
import { INSTANCE_TYPE_LABEL } from "../../core/rollout/observe-pods.js";
import type { Cluster } from "../cluster-access.js";
import { workerSelector } from "../deploy/follow-deploy.js";
import type { EndpointPrice } from "./report.js";

interface Pod {
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}
interface Node {
  metadata?: { name?: string; labels?: Record<string, string> };
}

export async function endpointPrice(cluster: Cluster, endpoint: string): Promise<EndpointPrice | undefined> {
  const [pods, nodes] = await Promise.all([
    cluster.objects.list<Pod>("v1", "Pod", {
      namespace: ENDPOINT_NAMESPACE,
      labelSelector: workerSelector(endpoint),
    }),
    cluster.objects.list<Node>("v1", "Node"),
  ]);
  const ready = pods.filter((p) =>
    p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  );
  const nodeNames = new Set(ready.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n)));
  const types = new Map<string, number>();
  let hourlyUsd = 0;
  for (const node of nodes) {
    if (!nodeNames.has(node.metadata?.name ?? "")) continue;
    const type = node.metadata?.labels?.[INSTANCE_TYPE_LABEL];
    const priced = type === undefined ? undefined : findInstanceType(type);
    if (priced === undefined || type === undefined) return undefined;
    hourlyUsd += priced.hourlyUsd;
    types.set(type, (types.get(type) ?? 0) + 1);
  }
  if (types.size === 0) return undefined;
  return {
    hourlyUsd,
    replicas: ready.length,
    nodes: [...types].map(([type, n]) => `${type} × ${n}`).join(", "),
  };
}
