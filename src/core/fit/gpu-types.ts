/**
 * The instance types the gpu-inference Karpenter NodePool may launch (terraform/30.eks/30.cluster/
 * karpenter/nodepool-gpu-inference.yaml.tftpl: families g5, g6, g6e, on-demand, amd64) with their
 * GPU, vCPU and memory, and an APPROXIMATE on-demand hourly price.
 *
 * Prices: Linux on-demand, us-east-1, as published by AWS in 2025 (recorded 2025-11; rounded to
 * the cent). They change over time and differ by region (often 10-30% higher outside us-east-1):
 * treat them as an order of magnitude for "what will this deploy cost me", never as a quote.
 */
import type { GpuFamily } from "../catalog/catalog.js";

export const PRICE_REGION = "us-east-1";
export const PRICE_DATE = "2025-11";
export const PRICE_NOTE = `approximate on-demand prices, ${PRICE_REGION}, ${PRICE_DATE}`;

export interface GpuCard {
  family: GpuFamily;
  card: string;
  /** Memory per card in GiB (what nvidia-smi reports, rounded). */
  memoryGiB: number;
}

export const GPU_CARDS: Record<GpuFamily, GpuCard> = {
  g5: { family: "g5", card: "A10G", memoryGiB: 24 },
  g6: { family: "g6", card: "L4", memoryGiB: 24 },
  g6e: { family: "g6e", card: "L40S", memoryGiB: 48 },
};

export interface InstanceType {
  name: string;
  family: GpuFamily;
  gpus: number;
  vcpu: number;
  memoryGiB: number;
  /** USD per hour, on-demand, approximate (see PRICE_NOTE). */
  hourlyUsd: number;
}

const row = (name: string, gpus: number, vcpu: number, memoryGiB: number, hourlyUsd: number) => ({
  name,
  family: name.slice(0, name.indexOf(".")) as GpuFamily,
  gpus,
  vcpu,
  memoryGiB,
  hourlyUsd,
});

export const INSTANCE_TYPES: readonly InstanceType[] = [
  row("g5.xlarge", 1, 4, 16, 1.01),
  row("g5.2xlarge", 1, 8, 32, 1.21),
  row("g5.4xlarge", 1, 16, 64, 1.62),
  row("g5.8xlarge", 1, 32, 128, 2.45),
  row("g5.16xlarge", 1, 64, 256, 4.1),
  row("g5.12xlarge", 4, 48, 192, 5.67),
  row("g5.24xlarge", 4, 96, 384, 8.14),
  row("g5.48xlarge", 8, 192, 768, 16.29),
  row("g6.xlarge", 1, 4, 16, 0.8),
  row("g6.2xlarge", 1, 8, 32, 0.98),
  row("g6.4xlarge", 1, 16, 64, 1.32),
  row("g6.8xlarge", 1, 32, 128, 2.01),
  row("g6.16xlarge", 1, 64, 256, 3.4),
  row("g6.12xlarge", 4, 48, 192, 4.6),
  row("g6.24xlarge", 4, 96, 384, 6.68),
  row("g6.48xlarge", 8, 192, 768, 13.35),
  row("g6e.xlarge", 1, 4, 32, 1.86),
  row("g6e.2xlarge", 1, 8, 64, 2.24),
  row("g6e.4xlarge", 1, 16, 128, 3.0),
  row("g6e.8xlarge", 1, 32, 256, 4.53),
  row("g6e.16xlarge", 1, 64, 512, 7.58),
  row("g6e.12xlarge", 4, 48, 384, 10.49),
  row("g6e.24xlarge", 4, 96, 768, 15.07),
  row("g6e.48xlarge", 8, 192, 1536, 30.13),
];

export function findInstanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}
