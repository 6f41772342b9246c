import { describe, expect, it } from "vitest";
import { buildGitops } from "../../src/core/status/gitops.js";
import { buildGpuNodes } from "../../src/core/status/gpu-nodes.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("status: GitOps rows", () => {
  const heads = new Map([
    ["main", B],
    ["HEAD", B],
  ]);
  it("compares a single-source app's revision with its branch head", () => {
    const rows = buildGitops(
      [
        {
          metadata: { name: "old" },
          spec: { source: { targetRevision: "main" } },
          status: { sync: { status: "Synced", revision: A }, health: { status: "Healthy" } },
        },
        {
          metadata: { name: "new" },
          spec: { source: {} },
          status: { sync: { status: "Synced", revision: B }, health: { status: "Healthy" } },
        },
      ],
      heads,
    ).applications;
    expect(rows.map((r) => [r.app, r.branch, r.behind, r.message])).toEqual([
      ["new", "HEAD", false, undefined],
      ["old", "main", true, undefined],
    ]);
  });

  it("takes a multi-source app's revision of the source that follows a branch, and never a chart version", () => {
    const chartAndValues = { sources: [{ targetRevision: "v25.10.1" }, { targetRevision: "main" }] };
    const rows = buildGitops(
      [
        {
          metadata: { name: "listed" },
          spec: chartAndValues,
          status: { sync: { status: "Synced", revisions: ["v25.10.1", A] } },
        },
        {
          metadata: { name: "single" },
          spec: chartAndValues,
          status: {
            sync: { status: "OutOfSync", revision: "v25.10.1" },
            health: { status: "Degraded", message: "Deployment exceeded its progress deadline" },
          },
        },
      ],
      heads,
    ).applications;
    expect(rows[0]).toMatchObject({ app: "listed", revision: A, branch: "main", behind: true });
    expect(rows[1]).toMatchObject({
      app: "single",
      revision: "v25.10.1",
      behind: undefined,
      message: "Deployment exceeded its progress deadline",
    });
  });
});

describe("status: GPU nodes and cost", () => {
  const node = (name: string, type: string, labels: Record<string, string> = {}, gpus?: string) => ({
    metadata: { name, labels: { "node.kubernetes.io/instance-type": type, ...labels } },
    status: gpus ? { capacity: { "nvidia.com/gpu": gpus } } : {},
  });
  it("names the endpoints each GPU node serves, prices idle GPU apart and totals the cluster", () => {
    const section = buildGpuNodes(
      [
        node("sys", "m7i.large"),
        node(
          "busy",
          "g6.xlarge",
          { "karpenter.sh/nodepool": "gpu-inference", "karpenter.sh/capacity-type": "spot" },
          "1",
        ),
        node("idle", "g5.xlarge", {}, "1"),
        node("odd", "x9.huge", {}, "1"),
      ],
      [
        {
          metadata: { labels: { "app.kubernetes.io/instance": "a", "ray.io/node-type": "worker" } },
          spec: { nodeName: "busy" },
          status: { phase: "Running" },
        },
        {
          metadata: { labels: { "app.kubernetes.io/instance": "b", "ray.io/node-type": "worker" } },
          spec: { nodeName: "idle" },
          status: { phase: "Succeeded" },
        },
      ],
    );
    expect(section.nodes.map((n) => [n.name, n.capacityType, n.serves, n.idle, n.hourlyUsd])).toEqual([
      ["busy", "spot", ["a"], false, 0.8],
      ["idle", "unknown", [], true, 1.01],
      ["odd", "unknown", [], true, undefined],
    ]);
    expect(section.gpuHourlyUsd).toBe(1.81);
    expect(section.idleGpuHourlyUsd).toBe(1.01);
    // 0.1008 + 0.8 + 1.01 + the EKS control plane 0.10
    expect(section.clusterHourlyUsd).toBe(2.01);
    expect(section.unpriced).toEqual(["x9.huge"]);
  });
});
