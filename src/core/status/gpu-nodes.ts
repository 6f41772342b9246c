import { GPU_NODEPOOL, INSTANCE_TYPE_LABEL, NODEPOOL_LABEL } from "../rollout/observe-pods.js";
import type { Obj, Pod } from "../rollout/types.js";
import { INSTANCE_LABEL, NODE_TYPE_LABEL } from "./endpoints.js";
import { EKS_CONTROL_PLANE_HOURLY_USD, hourlyPrice, STATUS_PRICE_NOTE } from "./prices.js";
import type { GpuNodeRow, GpuNodesSection } from "./types.js";

/** Karpenter's label; EKS managed node groups use their own (ON_DEMAND/SPOT). */
const CAPACITY_LABELS = ["karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType"];

interface NodeObj extends Obj {
  status?: { capacity?: Record<string, string> } & Record<string, unknown>;
}

function gpuCount(node: NodeObj): number {
  const value = Number(node.status?.capacity?.["nvidia.com/gpu"] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** A GPU node: in the gpu-inference pool (PLATFORM.md), or reporting nvidia.com/gpu capacity. */
export function isGpuNode(node: NodeObj): boolean {
  return node.metadata?.labels?.[NODEPOOL_LABEL] === GPU_NODEPOOL || gpuCount(node) > 0;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * GPU nodes with the endpoints their Ray pods serve (idle when none: a node Karpenter has not
 * consolidated yet, or one held by something else), priced from the table; the GPU and whole
 * cluster totals (every priced node plus the EKS control plane), with the idle GPU spend apart.
 */
export function buildGpuNodes(nodes: readonly NodeObj[], pods: readonly Pod[]): GpuNodesSection {
  const serves = new Map<string, Set<string>>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    const labels = pod.metadata?.labels ?? {};
    const endpoint = labels[INSTANCE_LABEL];
    if (!node || !endpoint || labels[NODE_TYPE_LABEL] === undefined) continue;
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const set = serves.get(node) ?? new Set<string>();
    set.add(endpoint);
    serves.set(node, set);
  }
  const unpriced = new Set<string>();
  let clusterHourly = EKS_CONTROL_PLANE_HOURLY_USD;
  let gpuHourly = 0;
  let idleHourly = 0;
  const rows: GpuNodeRow[] = [];
  for (const node of nodes) {
    const labels = node.metadata?.labels ?? {};
    const instanceType = labels[INSTANCE_TYPE_LABEL] ?? "unknown";
    const price = hourlyPrice(instanceType);
    if (price === undefined) unpriced.add(instanceType);
    else clusterHourly += price;
    if (!isGpuNode(node)) continue;
    const name = node.metadata?.name ?? "?";
    const endpoints = [...(serves.get(name) ?? [])].sort();
    const idle = endpoints.length === 0;
    if (price !== undefined) {
      gpuHourly += price;
      if (idle) idleHourly += price;
    }
    rows.push({
      name,
      instanceType,
      capacityType: (CAPACITY_LABELS.map((l) => labels[l]).find(Boolean) ?? "unknown").toLowerCase(),
      createdAt: node.metadata?.creationTimestamp,
      gpus: gpuCount(node),
      serves: endpoints,
      idle,
      hourlyUsd: price,
    });
  }
  return {
    nodes: rows.sort((a, b) => a.name.localeCompare(b.name)),
    gpuHourlyUsd: cents(gpuHourly),
    idleGpuHourlyUsd: cents(idleHourly),
    clusterHourlyUsd: cents(clusterHourly),
    unpriced: [...unpriced].sort(),
    priceNote: STATUS_PRICE_NOTE,
  };
}
