import { describe, expect, it } from "vitest";
import type { DeployObservation, KubeEvent, Obj, Pod } from "../../src/core/rollout/index.js";
import { judgeImage, judgeNode, judgeScheduled } from "../../src/core/rollout/judge-worker.js";
import {
  capacityError,
  claimInstanceType,
  claimsForPod,
  currentRayCluster,
  currentWorkerPods,
  describeClaims,
  gpuNodeClaims,
  imagePullState,
  isScheduled,
  latestEvent,
  pickWorkerPod,
  quotaAdvice,
  unscheduledReason,
} from "../../src/core/rollout/observe-pods.js";
import { deployObservation } from "../support/rollout-observation.js";

// The worker layers of `deploy-model --wait` (pod scheduled, GPU node launched, image pulled) and
// how they read Kubernetes pods and events, Karpenter's NodeClaims and KubeRay's RayService status.

function observation(over: Partial<DeployObservation> = {}): DeployObservation {
  return deployObservation({ commit: "a".repeat(40), spec: {}, application: undefined, ...over });
}
const pending: Pod = { metadata: { name: "w-1", uid: "u1" }, status: { phase: "Pending" } };
const bound = (nodeName: string, statuses: NonNullable<Pod["status"]>["containerStatuses"] = []): Pod => ({
  metadata: { name: "w-1", uid: "u1" },
  spec: { nodeName },
  status: { phase: "Pending", containerStatuses: statuses },
});
const claim = (
  name: string,
  opts: {
    type?: string;
    pool?: string;
    launched?: { status: string; reason?: string; message?: string };
  } = {},
): Obj => ({
  metadata: {
    name,
    labels: {
      "karpenter.sh/nodepool": opts.pool ?? "gpu-inference",
      ...(opts.type ? { "node.kubernetes.io/instance-type": opts.type } : {}),
    },
  },
  status: opts.launched ? { conditions: [{ type: "Launched", ...opts.launched }] } : {},
});
const ICE = "InsufficientInstanceCapacity: We currently do not have sufficient g6.2xlarge capacity";

describe("scheduled: the worker pod", () => {
  it("waits for KubeRay to create it, then names its node", () => {
    expect(judgeScheduled(observation(), undefined)).toEqual({
      done: false,
      reason: "no Ray worker pod yet (KubeRay creates it with the RayCluster)",
    });
    expect(judgeScheduled(observation(), bound("ip-1"))).toEqual({ done: true, reason: "pod w-1 on ip-1" });
  });

  it("explains a pending pod by its newest FailedScheduling event, else its PodScheduled condition", () => {
    const older: KubeEvent = {
      reason: "FailedScheduling",
      message: "0/1 nodes are available: old",
      involvedObject: { kind: "Pod", name: "w-1", uid: "u1" },
      lastTimestamp: "2026-01-01T10:00:00Z",
    };
    const newer: KubeEvent = {
      ...older,
      message: "0/2 nodes are available: new",
      lastTimestamp: "2026-01-01T10:05:00Z",
    };
    expect(judgeScheduled(observation({ events: [older, newer] }), pending).reason).toBe(
      "FailedScheduling: 0/2 nodes are available: new",
    );
    expect(judgeScheduled(observation({ events: [newer, older] }), pending).reason).toBe(
      "FailedScheduling: 0/2 nodes are available: new",
    );
    const conditioned: Pod = {
      ...pending,
      status: { conditions: [{ type: "PodScheduled", status: "False", message: "waiting for a node" }] },
    };
    expect(unscheduledReason(conditioned, [])).toBe("Unschedulable: waiting for a node");
    const withReason: Pod = {
      ...pending,
      status: {
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated", message: "gated" }],
      },
    };
    expect(unscheduledReason(withReason, [])).toBe("SchedulingGated: gated");
    expect(unscheduledReason(pending, [])).toBe("pod w-1 is Pending");
    // Scheduled through the condition alone, before spec.nodeName shows.
    expect(
      isScheduled({ ...pending, status: { conditions: [{ type: "PodScheduled", status: "True" }] } }),
    ).toBe(true);
    expect(isScheduled(pending)).toBe(false);
    expect(isScheduled(undefined)).toBe(false);
  });

  it("matches events to the pod by uid when both have one, else by name, and only Pod events", () => {
    const event = (over: Partial<KubeEvent>): KubeEvent => ({
      reason: "FailedScheduling",
      message: "m",
      ...over,
    });
    const byUid = event({ involvedObject: { kind: "Pod", name: "other", uid: "u1" } });
    expect(latestEvent([byUid], pending, "FailedScheduling")).toBe(byUid);
    const otherUid = event({ involvedObject: { kind: "Pod", name: "w-1", uid: "u2" } });
    expect(latestEvent([otherUid], pending, "FailedScheduling")).toBeUndefined();
    const byName = event({ involvedObject: { name: "w-1" } });
    expect(latestEvent([byName], pending, "FailedScheduling")).toBe(byName);
    expect(latestEvent([byName], { metadata: { name: "w-1" } }, "FailedScheduling")).toBe(byName);
    const node = event({ involvedObject: { kind: "Node", name: "w-1", uid: "u1" } });
    expect(latestEvent([node], pending, "FailedScheduling")).toBeUndefined();
    expect(latestEvent([byUid], pending, "Scheduled")).toBeUndefined();
  });

  it("orders events by lastTimestamp, else eventTime, else creation; unreadable times count as oldest", () => {
    const on = (message: string, times: Partial<KubeEvent>): KubeEvent => ({
      reason: "FailedScheduling",
      message,
      involvedObject: { kind: "Pod", uid: "u1" },
      ...times,
    });
    const a = on("a", { eventTime: "2026-01-01T10:01:00Z" });
    const b = on("b", { metadata: { creationTimestamp: "2026-01-01T10:02:00Z" } });
    const c = on("c", { lastTimestamp: "2026-01-01T10:00:00Z", eventTime: "2026-01-01T10:09:00Z" });
    const d = on("d", { lastTimestamp: "not a time" });
    const e = on("e", {});
    expect(latestEvent([c, a, b, d, e], pending, "FailedScheduling")?.message).toBe("b");
    expect(latestEvent([d, c, e], pending, "FailedScheduling")?.message).toBe("c");
  });
});

describe("node: the GPU node Karpenter launches", () => {
  it("is done once the pod has a node, with the instance type when the Node carries it", () => {
    const node = { metadata: { name: "ip-1", labels: { "node.kubernetes.io/instance-type": "g6.2xlarge" } } };
    expect(judgeNode(observation({ nodes: [node] }), bound("ip-1"))).toEqual({
      done: true,
      reason: "g6.2xlarge (ip-1)",
    });
    expect(judgeNode(observation({ nodes: [{ metadata: { name: "ip-1" } }] }), bound("ip-1")).reason).toBe(
      "ip-1",
    );
    expect(judgeNode(observation({ nodes: [node] }), bound("ip-2"))).toEqual({ done: true, reason: "ip-2" });
  });

  it("without a node: a launched claim waits to join, a new one is launching, none waits for Karpenter", () => {
    const launched = claim("gpu-inference-a", { type: "g6.2xlarge", launched: { status: "True" } });
    expect(judgeNode(observation({ nodeClaims: [launched] }), pending)).toEqual({
      done: false,
      reason: "g6.2xlarge launched, waiting for it to join (NodeClaim gpu-inference-a)",
    });
    const untyped = claim("gpu-inference-b", { launched: { status: "True" } });
    expect(judgeNode(observation({ nodeClaims: [untyped] }), pending).reason).toBe(
      "GPU node launched, waiting for it to join (NodeClaim gpu-inference-b)",
    );
    expect(
      judgeNode(observation({ nodeClaims: [claim("gpu-inference-c", { type: "g5.xlarge" })] }), pending),
    ).toEqual({
      done: false,
      reason: "Karpenter is launching g5.xlarge (NodeClaim gpu-inference-c)",
    });
    expect(judgeNode(observation({ nodeClaims: [claim("gpu-inference-d")] }), pending).reason).toBe(
      "Karpenter is launching a GPU node (NodeClaim gpu-inference-d)",
    );
    expect(judgeNode(observation(), pending)).toEqual({
      done: false,
      reason: "waiting for Karpenter (NodePool gpu-inference) to create a NodeClaim",
    });
    expect(judgeNode(observation(), undefined).reason).toBe(
      "waiting for Karpenter (NodePool gpu-inference) to create a NodeClaim",
    );
  });

  it("names every instance type that had no capacity and the last error; fails at the capacity limit, not before", () => {
    const capacityErrors = { "g6.2xlarge": ICE, "g5.2xlarge": "InsufficientInstanceCapacity: no g5.2xlarge" };
    const failedClaim = claim("gpu-inference-e", {
      type: "g5.2xlarge",
      launched: { status: "False", message: ICE },
    });
    const waiting = judgeNode(
      observation({
        capacityErrors,
        nodeClaims: [failedClaim],
        firstSeen: { capacity: 1_000_000 - 179_999 },
      }),
      pending,
    );
    expect(waiting).toEqual({
      done: false,
      reason: "no GPU capacity for g6.2xlarge, g5.2xlarge: InsufficientInstanceCapacity: no g5.2xlarge",
    });
    const failed = judgeNode(
      observation({ capacityErrors, firstSeen: { capacity: 1_000_000 - 180_000 } }),
      pending,
    );
    expect(failed).toEqual({
      done: false,
      failed: true,
      reason:
        "no GPU capacity for g6.2xlarge, g5.2xlarge: InsufficientInstanceCapacity: no g5.2xlarge (no instance type could be launched for 3m 00s; --capacity-timeout)",
    });
    // First seen now: the clock starts, nothing has failed yet.
    expect(judgeNode(observation({ capacityErrors }), pending).failed).toBeUndefined();
  });
});

describe("image: the worker's image pull", () => {
  it("waits for the pod to be scheduled, then is done once every container runs or ran", () => {
    const wait = { done: false, reason: "waiting for the worker pod to be scheduled" };
    expect(judgeImage(observation(), undefined)).toEqual(wait);
    expect(judgeImage(observation(), pending)).toEqual(wait);
    expect(
      judgeImage(observation(), bound("ip-1", [{ state: { running: {} } }, { state: { terminated: {} } }])),
    ).toEqual({ done: true });
  });

  it("while pulling, says the image is large; the waiting reason is shown", () => {
    expect(judgeImage(observation(), bound("ip-1")).reason).toBe(
      "ContainerCreating (the Ray LLM image is large: minutes are normal)",
    );
    expect(
      judgeImage(
        observation(),
        bound("ip-1", [{ state: { running: {} } }, { state: { waiting: { reason: "PodInitializing" } } }]),
      ).reason,
    ).toBe("PodInitializing (the Ray LLM image is large: minutes are normal)");
  });

  it("a pull error: retried with back-off, failed at the image pull limit, not before", () => {
    const failing = bound("ip-1", [
      { state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling" } } },
    ]);
    expect(judgeImage(observation({ firstSeen: { "image-pull": 1_000_000 - 299_999 } }), failing)).toEqual({
      done: false,
      reason: "ImagePullBackOff: Back-off pulling (kubelet retries with back-off)",
    });
    expect(judgeImage(observation({ firstSeen: { "image-pull": 1_000_000 - 300_000 } }), failing)).toEqual({
      done: false,
      failed: true,
      reason: "ImagePullBackOff: Back-off pulling (failing for 5m 00s; --image-pull-timeout)",
    });
    expect(judgeImage(observation(), failing).failed).toBeUndefined();
    // Between retries the remembered error still shows.
    expect(judgeImage(observation({ imagePullError: "ErrImagePull: not found" }), bound("ip-1")).reason).toBe(
      "ErrImagePull: not found (kubelet retries with back-off)",
    );
  });

  it("reads each of kubelet's pull failures, with the message or else the image", () => {
    for (const reason of ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"])
      expect(imagePullState(bound("n", [{ state: { waiting: { reason, message: "x" } } }]))).toEqual({
        state: "failing",
        message: `${reason}: x`,
      });
    expect(
      imagePullState(bound("n", [{ image: "my/ray:1", state: { waiting: { reason: "ErrImagePull" } } }])),
    ).toEqual({
      state: "failing",
      message: "ErrImagePull: my/ray:1",
    });
    expect(imagePullState(bound("n", [{ state: { waiting: { reason: "ErrImagePull" } } }]))).toEqual({
      state: "failing",
      message: "ErrImagePull:",
    });
    expect(imagePullState(bound("n", [{ state: { waiting: { reason: "CrashLoopBackOff" } } }]))).toEqual({
      state: "pulling",
      message: "CrashLoopBackOff",
    });
    expect(imagePullState(bound("n", [{ state: {} }]))).toEqual({
      state: "pulling",
      message: "ContainerCreating",
    });
    expect(imagePullState({ metadata: { name: "w" } })).toEqual({
      state: "pulling",
      message: "ContainerCreating",
    });
  });
});

describe("NodeClaims", () => {
  it("keeps the GPU NodePool's claims (and unlabelled ones), not other pools'", () => {
    const gpu = claim("gpu-inference-a");
    const system = claim("default-a", { pool: "default" });
    const unlabelled: Obj = { metadata: { name: "x" } };
    expect(gpuNodeClaims([gpu, system, unlabelled])).toEqual([gpu, unlabelled]);
  });

  it("keeps claims made at or after the pod's creation; any unreadable time keeps the claim", () => {
    const at = (name: string, creationTimestamp?: string): Obj => ({ metadata: { name, creationTimestamp } });
    const pod: Pod = { metadata: { name: "w", creationTimestamp: "2026-01-01T10:00:00Z" } };
    const claims = [
      at("before", "2026-01-01T09:59:59Z"),
      at("same", "2026-01-01T10:00:00Z"),
      at("after", "2026-01-01T10:00:01Z"),
      at("no-time"),
    ];
    expect(claimsForPod(claims, pod).map((c) => c.metadata?.name)).toEqual(["same", "after", "no-time"]);
    expect(claimsForPod(claims, undefined).map((c) => c.metadata?.name)).toEqual([
      "before",
      "same",
      "after",
      "no-time",
    ]);
  });

  it("reads a capacity error only from Launched=False with a capacity word, preferring the message", () => {
    expect(
      capacityError(claim("a", { launched: { status: "False", reason: "LaunchFailed", message: ICE } })),
    ).toBe(ICE);
    expect(capacityError(claim("b", { launched: { status: "False", reason: "InsufficientCapacity" } }))).toBe(
      "InsufficientCapacity",
    );
    expect(
      capacityError(
        claim("c", { launched: { status: "False", reason: "LaunchFailed", message: "AccessDenied" } }),
      ),
    ).toBeUndefined();
    expect(
      capacityError(claim("d", { launched: { status: "True", reason: "InsufficientCapacity" } })),
    ).toBeUndefined();
    expect(capacityError(claim("e"))).toBeUndefined();
    for (const word of [
      "InsufficientInstanceCapacity",
      "insufficient capacity",
      "no capacity",
      "UnfulfillableCapacity",
      "MaxSpotInstanceCountExceeded",
      "VcpuLimitExceeded",
      "current vCPU limit of 0",
    ])
      expect(capacityError(claim("f", { launched: { status: "False", message: `x ${word} y` } }))).toBe(
        `x ${word} y`,
      );
  });

  it("takes the instance type from the label, else from the status", () => {
    expect(claimInstanceType(claim("a", { type: "g5.xlarge" }))).toBe("g5.xlarge");
    expect(claimInstanceType({ metadata: { name: "b" }, status: { instanceType: "g6.xlarge" } })).toBe(
      "g6.xlarge",
    );
    expect(claimInstanceType({ metadata: { name: "c" }, status: { instanceType: "" } })).toBeUndefined();
    expect(claimInstanceType({ metadata: { name: "d" } })).toBeUndefined();
  });

  it("describes claims for the scheduling line", () => {
    expect(
      describeClaims([
        claim("gpu-inference-a", { type: "g6.2xlarge", launched: { status: "False", message: ICE } }),
        claim("gpu-inference-b", { type: "g5.2xlarge", launched: { status: "True" } }),
        claim("gpu-inference-c"),
      ]),
    ).toBe(
      `NodeClaim gpu-inference-a (g6.2xlarge) capacity error: ${ICE}; NodeClaim gpu-inference-b (g5.2xlarge) launched; NodeClaim gpu-inference-c launching`,
    );
    expect(describeClaims([])).toBeUndefined();
  });

  it("names the vCPU quota to raise: the Spot one or the on-demand one; real capacity shortages are not quotas", () => {
    expect(quotaAdvice("MaxSpotInstanceCountExceeded: Spot limit")).toBe(
      "the account's \"All G and VT Spot Instance Requests\" vCPU quota (L-3819A6DF) is used up, not AWS capacity: request an increase in Service Quotas (aiplat doctor's GPU quota check says how much)",
    );
    expect(quotaAdvice("VcpuLimitExceeded: current vCPU limit of 0")).toBe(
      "the account's \"Running On-Demand G and VT instances\" vCPU quota (L-DB2E81BA) is used up, not AWS capacity: request an increase in Service Quotas (aiplat doctor's GPU quota check says how much)",
    );
    expect(quotaAdvice("your vcpu LIMIT")).toContain("L-DB2E81BA");
    expect(quotaAdvice(ICE)).toBeUndefined();
  });
});

describe("which worker pod to report on", () => {
  const pod = (name: string, over: Partial<Pod> = {}): Pod => ({ metadata: { name }, ...over });

  it("a scheduled live pod first, else the first live one; terminating pods never", () => {
    const a = pod("a");
    const b = pod("b", { spec: { nodeName: "ip-1" } });
    const gone = pod("gone", {
      metadata: { name: "gone", deletionTimestamp: "2026-01-01T10:00:00Z" },
      spec: { nodeName: "ip-0" },
    });
    expect(pickWorkerPod([a, gone, b])).toBe(b);
    expect(pickWorkerPod([gone, a])).toBe(a);
    expect(pickWorkerPod([gone])).toBeUndefined();
    expect(pickWorkerPod([])).toBeUndefined();
  });

  it("the current RayCluster is the pending one during an upgrade, else the active one", () => {
    const rs = (status: Record<string, unknown>): Obj => ({ status });
    expect(
      currentRayCluster(
        rs({
          activeServiceStatus: { rayClusterName: "old" },
          pendingServiceStatus: { rayClusterName: "new" },
        }),
      ),
    ).toBe("new");
    expect(
      currentRayCluster(
        rs({ activeServiceStatus: { rayClusterName: "old" }, pendingServiceStatus: { rayClusterName: "" } }),
      ),
    ).toBe("old");
    expect(currentRayCluster(rs({ activeServiceStatus: null, pendingServiceStatus: null }))).toBeUndefined();
    expect(currentRayCluster(rs({ activeServiceStatus: { rayClusterName: "" } }))).toBeUndefined();
    expect(currentRayCluster(undefined)).toBeUndefined();
    const old = pod("o", { metadata: { name: "o", labels: { "ray.io/cluster": "old" } } });
    const fresh = pod("n", { metadata: { name: "n", labels: { "ray.io/cluster": "new" } } });
    const unlabelled = pod("u");
    const upgrading = rs({
      activeServiceStatus: { rayClusterName: "old" },
      pendingServiceStatus: { rayClusterName: "new" },
    });
    expect(currentWorkerPods(upgrading, [old, fresh, unlabelled])).toEqual([fresh, unlabelled]);
    expect(currentWorkerPods(undefined, [old, fresh])).toEqual([old, fresh]);
  });
});
