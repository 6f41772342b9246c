/**
 * Hourly prices for the status screen: the GPU types from the fit table (src/core/fit/gpu-types.ts,
 * the same approximate us-east-1 on-demand prices deploy-model shows) plus the system node types
 * the cluster stage allows (terraform/30.eks/30.cluster/eks.tf: m7i/m6i/m5.large) and the EKS
 * control plane. Approximate, like the fit table: an order of magnitude, never a quote.
 */
import { findInstanceType, PRICE_NOTE } from "../fit/gpu-types.js";

/**
 * Linux on-demand, us-east-1 (AWS EC2 on-demand pricing page, 2025-11), USD/h. A Map, not an
 * object literal: a node's instance-type label is looked up here, and "constructor" must not
 * find Object's.
 */
const SYSTEM_NODE_PRICES = new Map<string, number>([
  ["m7i.large", 0.1008],
  ["m6i.large", 0.096],
  ["m5.large", 0.096],
  ["m7i.xlarge", 0.2016],
  ["m6i.xlarge", 0.192],
  ["m5.xlarge", 0.192],
]);

/** Amazon EKS pricing: $0.10 per cluster per hour (standard support). */
export const EKS_CONTROL_PLANE_HOURLY_USD = 0.1;

export const STATUS_PRICE_NOTE = PRICE_NOTE;

export function hourlyPrice(instanceType: string): number | undefined {
  return findInstanceType(instanceType)?.hourlyUsd ?? SYSTEM_NODE_PRICES.get(instanceType);
}
