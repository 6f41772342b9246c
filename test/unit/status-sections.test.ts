import { describe, expect, it } from "vitest";
import { buildGitops } from "../../src/core/status/gitops.js";
import { buildGpuNodes, isGpuNode } from "../../src/core/status/gpu-nodes.js";

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

describe("status: GitOps rows, field by field", () => {
  const heads = new Map([
    ["main", B],
    ["HEAD", A],
  ]);

  it("reads sync and health, and shows ArgoCD's message only when the app is not both Synced and Healthy", () => {
    const app = (name: string, sync: string, health: string) => ({
      metadata: { name },
      spec: { source: { targetRevision: "main" } },
      status: {
        sync: { status: sync, revision: B },
        health: { status: health, message: `${name} says why` },
      },
    });
    const rows = buildGitops(
      [
        app("a-fine", "Synced", "Healthy"),
        app("b-degraded", "Synced", "Degraded"),
        app("c-outofsync", "OutOfSync", "Healthy"),
        app("d-both", "OutOfSync", "Progressing"),
      ],
      heads,
    ).applications;
    expect(rows).toEqual([
      {
        app: "a-fine",
        sync: "Synced",
        health: "Healthy",
        revision: B,
        branch: "main",
        head: B,
        behind: false,
      },
      {
        app: "b-degraded",
        sync: "Synced",
        health: "Degraded",
        revision: B,
        branch: "main",
        head: B,
        behind: false,
        message: "b-degraded says why",
      },
      {
        app: "c-outofsync",
        sync: "OutOfSync",
        health: "Healthy",
        revision: B,
        branch: "main",
        head: B,
        behind: false,
        message: "c-outofsync says why",
      },
      {
        app: "d-both",
        sync: "OutOfSync",
        health: "Progressing",
        revision: B,
        branch: "main",
        head: B,
        behind: false,
        message: "d-both says why",
      },
    ]);
  });

  it("shows an app ArgoCD has not reported on yet as Unknown, following the default branch, without a message", () => {
    const rows = buildGitops(
      [
        {},
        { metadata: { name: "bare" }, spec: {} },
        { metadata: { name: "health-only" }, status: { health: { status: "Healthy" } } },
      ],
      heads,
    ).applications;
    expect(rows).toEqual([
      { app: "?", sync: "Unknown", health: "Unknown", branch: "HEAD", head: A },
      { app: "bare", sync: "Unknown", health: "Unknown", branch: "HEAD", head: A },
      { app: "health-only", sync: "Unknown", health: "Healthy", branch: "HEAD", head: A },
    ]);
  });

  it("takes an empty targetRevision for the default branch (HEAD)", () => {
    const [row] = buildGitops(
      [
        {
          metadata: { name: "x" },
          spec: { source: { targetRevision: "" } },
          status: { sync: { status: "Synced", revision: A }, health: { status: "Healthy" } },
        },
      ],
      heads,
    ).applications;
    expect(row).toMatchObject({ branch: "HEAD", head: A, behind: false });
  });

  it("leaves behind unknown when the remote's heads could not be read or the app has no revision yet", () => {
    const single = {
      metadata: { name: "single" },
      spec: { source: { targetRevision: "main" } },
      status: { sync: { status: "Synced", revision: A }, health: { status: "Healthy" } },
    };
    const multi = {
      metadata: { name: "multi" },
      spec: { sources: [{ targetRevision: "main" }] },
      status: { sync: { status: "Synced", revisions: [A] }, health: { status: "Healthy" } },
    };
    expect(buildGitops([single, multi], undefined).applications).toEqual([
      { app: "multi", sync: "Synced", health: "Healthy" },
      { app: "single", sync: "Synced", health: "Healthy", revision: A, branch: "main" },
    ]);
    const unsynced = { metadata: { name: "unsynced" }, spec: { source: { targetRevision: "main" } } };
    expect(buildGitops([unsynced], heads).applications[0]).toEqual({
      app: "unsynced",
      sync: "Unknown",
      health: "Unknown",
      branch: "main",
      head: B,
    });
  });

  it("takes the first source that follows a branch of the remote, whatever its position", () => {
    const app = (sources: { targetRevision?: string }[], revisions?: string[]) => ({
      metadata: { name: "m" },
      spec: { sources },
      status: { sync: { status: "Synced", revision: "v1.0.0", ...(revisions ? { revisions } : {}) } },
    });
    // ours first
    expect(
      buildGitops([app([{ targetRevision: "main" }, { targetRevision: "v1.0.0" }], [B, "v1.0.0"])], heads)
        .applications[0],
    ).toMatchObject({ branch: "main", revision: B, head: B, behind: false });
    // two that follow branches: the first one counts
    expect(
      buildGitops(
        [app([{ targetRevision: "v1.0.0" }, {}, { targetRevision: "main" }], ["v1.0.0", B, A])],
        heads,
      ).applications[0],
    ).toMatchObject({ branch: "HEAD", revision: B, head: A, behind: true });
    // none follows a branch: the chart's revision, nothing to compare with
    expect(
      buildGitops([app([{ targetRevision: "v1.0.0" }, { targetRevision: "v2" }], ["v1.0.0", "v2"])], heads)
        .applications[0],
    ).toEqual({ app: "m", sync: "Synced", health: "Unknown", revision: "v1.0.0" });
    // ours, but ArgoCD has not reported per-source revisions (or anything at all)
    expect(buildGitops([app([{ targetRevision: "main" }])], heads).applications[0]).toEqual({
      app: "m",
      sync: "Synced",
      health: "Unknown",
      revision: "v1.0.0",
    });
    expect(
      buildGitops([{ metadata: { name: "m" }, spec: { sources: [{ targetRevision: "main" }] } }], heads)
        .applications[0],
    ).toEqual({ app: "m", sync: "Unknown", health: "Unknown" });
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

describe("status: which nodes are GPU nodes, and what runs on them", () => {
  const ray = (endpoint: string, nodeName: string, nodeType: string, phase?: string) => ({
    metadata: { labels: { "app.kubernetes.io/instance": endpoint, "ray.io/node-type": nodeType } },
    spec: { nodeName },
    ...(phase ? { status: { phase } } : {}),
  });

  it("counts a node of the gpu-inference pool or one reporting nvidia.com/gpu, and nothing else", () => {
    expect(isGpuNode({ metadata: { labels: { "karpenter.sh/nodepool": "gpu-inference" } } })).toBe(true);
    expect(isGpuNode({ metadata: { labels: { "karpenter.sh/nodepool": "system" } } })).toBe(false);
    expect(isGpuNode({ status: { capacity: { "nvidia.com/gpu": "1" } } })).toBe(true);
    expect(isGpuNode({ status: { capacity: { "nvidia.com/gpu": "0" } } })).toBe(false);
    expect(isGpuNode({ status: { capacity: { "nvidia.com/gpu": "lots" } } })).toBe(false);
    expect(isGpuNode({ status: { capacity: { cpu: "4" } } })).toBe(false);
    expect(isGpuNode({ status: {} })).toBe(false);
    expect(isGpuNode({})).toBe(false);
    expect(isGpuNode({ metadata: { name: "unlabelled" } })).toBe(false);
  });

  it("lists the endpoints of the Ray pods (head or worker) still on each node, sorted, and the nodes by name", () => {
    const section = buildGpuNodes(
      [
        {
          metadata: {
            name: "n2",
            labels: {
              "node.kubernetes.io/instance-type": "g6.xlarge",
              "karpenter.sh/nodepool": "gpu-inference",
            },
            creationTimestamp: "2026-12-03T10:00:00Z",
          },
        },
        {
          metadata: { name: "n1", labels: { "node.kubernetes.io/instance-type": "g5.xlarge" } },
          status: { capacity: { "nvidia.com/gpu": "1" } },
        },
      ],
      [
        ray("zeta", "n1", "worker", "Running"),
        ray("alpha", "n1", "head", "Pending"),
        ray("alpha", "n1", "worker"),
        ray("failed", "n1", "worker", "Failed"),
        ray("done", "n2", "worker", "Succeeded"),
        // not Ray: no node-type label
        { metadata: { labels: { "app.kubernetes.io/instance": "other" } }, spec: { nodeName: "n2" } },
        // not an endpoint's pod, or not scheduled yet
        { metadata: { labels: { "ray.io/node-type": "worker" } }, spec: { nodeName: "n2" } },
        { metadata: { labels: { "app.kubernetes.io/instance": "waiting", "ray.io/node-type": "worker" } } },
        { metadata: {}, spec: { nodeName: "n1" } },
        {},
      ],
    );
    expect(section.nodes).toEqual([
      {
        name: "n1",
        instanceType: "g5.xlarge",
        capacityType: "unknown",
        gpus: 1,
        serves: ["alpha", "zeta"],
        idle: false,
        hourlyUsd: 1.01,
      },
      {
        name: "n2",
        instanceType: "g6.xlarge",
        capacityType: "unknown",
        createdAt: "2026-12-03T10:00:00Z",
        gpus: 0,
        serves: [],
        idle: true,
        hourlyUsd: 0.8,
      },
    ]);
    expect(section.gpuHourlyUsd).toBe(1.81);
    expect(section.idleGpuHourlyUsd).toBe(0.8);
    expect(section.clusterHourlyUsd).toBe(1.91);
    expect(section.priceNote).toBe("approximate on-demand prices, us-east-1, 2025-11");
  });

  it("reads the capacity type from Karpenter's label or the managed node group's, in lower case", () => {
    const section = buildGpuNodes(
      [
        {
          metadata: { name: "a", labels: { "eks.amazonaws.com/capacityType": "ON_DEMAND" } },
          status: { capacity: { "nvidia.com/gpu": "4" } },
        },
        {
          metadata: {
            name: "b",
            labels: { "karpenter.sh/capacity-type": "Spot", "eks.amazonaws.com/capacityType": "ON_DEMAND" },
          },
          status: { capacity: { "nvidia.com/gpu": "1" } },
        },
        { status: { capacity: { "nvidia.com/gpu": "1" } } },
      ],
      [],
    );
    expect(section.nodes.map((n) => [n.name, n.instanceType, n.capacityType, n.gpus, n.hourlyUsd])).toEqual([
      ["?", "unknown", "unknown", 1, undefined],
      ["a", "unknown", "on_demand", 4, undefined],
      ["b", "unknown", "spot", 1, undefined],
    ]);
    expect(section.unpriced).toEqual(["unknown"]);
    expect(section.clusterHourlyUsd).toBe(0.1);
  });

  it("prices system nodes into the cluster total only, and sorts the unpriced types", () => {
    const typed = (name: string, type: string) => ({
      metadata: { name, labels: { "node.kubernetes.io/instance-type": type } },
    });
    const section = buildGpuNodes(
      [
        typed("s1", "m6i.large"),
        typed("s2", "z9.odd"),
        typed("s3", "a1.odd"),
        typed("s4", "m5.xlarge"),
        typed("s5", "z9.odd"),
      ],
      [],
    );
    expect(section.nodes).toEqual([]);
    expect(section.gpuHourlyUsd).toBe(0);
    expect(section.idleGpuHourlyUsd).toBe(0);
    // 0.096 + 0.192 + the EKS control plane 0.10, to the cent
    expect(section.clusterHourlyUsd).toBe(0.39);
    expect(section.unpriced).toEqual(["a1.odd", "z9.odd"]);
  });
});
