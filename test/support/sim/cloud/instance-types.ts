/**
 * The EC2 instance types the simulated Karpenter may launch, with on-demand prices (USD/hour,
 * us-east-1, from the public EC2 on-demand price list; rounded) and GPU facts (A10G and L4: 24 GB,
 * L40S: 48 GB per card — PLATFORM.md). Allocatable is capacity minus a kubelet/system reserve.
 */
export interface InstanceType {
  name: string;
  family: string;
  category: string;
  generation: number;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  gpuName?: string;
  gpuMemoryGiB?: number;
  hourlyPrice: number;
}

const SIZES: Record<string, { vcpu: number; memoryGiB: number; gpus: number }> = {
  large: { vcpu: 2, memoryGiB: 8, gpus: 1 },
  xlarge: { vcpu: 4, memoryGiB: 16, gpus: 1 },
  "2xlarge": { vcpu: 8, memoryGiB: 32, gpus: 1 },
  "4xlarge": { vcpu: 16, memoryGiB: 64, gpus: 1 },
  "8xlarge": { vcpu: 32, memoryGiB: 128, gpus: 1 },
  "12xlarge": { vcpu: 48, memoryGiB: 192, gpus: 4 },
  "48xlarge": { vcpu: 192, memoryGiB: 768, gpus: 8 },
};

const GPU_FAMILIES: Record<string, { gpu: string; gpuMemoryGiB: number; prices: Record<string, number> }> = {
  g5: {
    gpu: "A10G",
    gpuMemoryGiB: 24,
    prices: {
      xlarge: 1.006,
      "2xlarge": 1.212,
      "4xlarge": 1.624,
      "8xlarge": 2.448,
      "12xlarge": 5.672,
      "48xlarge": 16.288,
    },
  },
  g6: {
    gpu: "L4",
    gpuMemoryGiB: 24,
    prices: {
      xlarge: 0.805,
      "2xlarge": 0.978,
      "4xlarge": 1.323,
      "8xlarge": 2.014,
      "12xlarge": 4.602,
      "48xlarge": 13.35,
    },
  },
  g6e: {
    gpu: "L40S",
    gpuMemoryGiB: 48,
    prices: {
      xlarge: 1.861,
      "2xlarge": 2.242,
      "4xlarge": 3.004,
      "8xlarge": 4.529,
      "12xlarge": 10.493,
      "48xlarge": 30.131,
    },
  },
};

const CPU_TYPES: [string, number][] = [
  ["m5.large", 0.096],
  ["m7i.large", 0.1008],
  ["m5.xlarge", 0.192],
  ["m6i.large", 0.096],
  ["m6i.xlarge", 0.192],
  ["c6i.large", 0.085],
  ["c6i.xlarge", 0.17],
  ["r6i.large", 0.126],
];

function build(): InstanceType[] {
  const out: InstanceType[] = [];
  for (const [family, info] of Object.entries(GPU_FAMILIES)) {
    for (const [size, price] of Object.entries(info.prices)) {
      const s = SIZES[size]!;
      out.push({
        name: `${family}.${size}`,
        family,
        category: "g",
        generation: Number(family.slice(1).replace(/\D.*$/, "")),
        vcpu: s.vcpu,
        // g6e has twice the memory of g5/g6 at every size.
        memoryGiB: family === "g6e" ? s.memoryGiB * 2 : s.memoryGiB,
        gpus: s.gpus,
        gpuName: info.gpu,
        gpuMemoryGiB: info.gpuMemoryGiB,
        hourlyPrice: price,
      });
    }
  }
  for (const [name, price] of CPU_TYPES) {
    const [family = "", size = ""] = name.split(".");
    const s = SIZES[size]!;
    out.push({
      name,
      family,
      category: family.slice(0, 1),
      generation: Number(family.slice(1).replace(/\D.*$/, "")),
      vcpu: s.vcpu,
      // GiB per vCPU: c 2, m 4, r 8.
      memoryGiB: s.vcpu * (family.startsWith("c") ? 2 : family.startsWith("r") ? 8 : 4),
      gpus: 0,
      hourlyPrice: price,
    });
  }
  return out;
}

export const INSTANCE_TYPES: readonly InstanceType[] = build();

export function findInstanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}

/** Node capacity and allocatable as the kubelet reports them (quantities as strings). */
export function nodeResources(type: InstanceType): {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
} {
  const capacity: Record<string, string> = {
    cpu: String(type.vcpu),
    memory: `${type.memoryGiB}Gi`,
    pods: "110",
    "ephemeral-storage": "300Gi",
  };
  const allocatable: Record<string, string> = {
    cpu: `${type.vcpu * 1000 - 80}m`,
    memory: `${Math.floor(type.memoryGiB * 1024 * 0.92)}Mi`,
    pods: "110",
    "ephemeral-storage": "280Gi",
  };
  if (type.gpus > 0) {
    capacity["nvidia.com/gpu"] = String(type.gpus);
    allocatable["nvidia.com/gpu"] = String(type.gpus);
  }
  return { capacity, allocatable };
}

/** Parses a Kubernetes quantity into a number (cpu in cores, memory in bytes). */
export function parseQuantity(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value === "") return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  const factors: Record<string, number> = {
    "": 1,
    m: 0.001,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return n * (factors[unit] ?? 1);
}
