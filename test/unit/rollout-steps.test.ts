import { describe, expect, it } from "vitest";
import {
  collectCapacityErrors,
  collectImagePullError,
  computeDeploySteps,
  computeUndeploySteps,
  type DeployObservation,
  type Obj,
  type Pod,
  terminalFailure,
  timedConditions,
  trackFirstSeen,
} from "../../src/core/rollout/index.js";
import {
  deployObservation as observation,
  SPEC,
  undeployObservation,
} from "../support/rollout-observation.js";

const stateOf = (o: DeployObservation) =>
  Object.fromEntries(computeDeploySteps(o).map((s) => [s.id, s.state]));
const step = (o: DeployObservation, id: string) => computeDeploySteps(o).find((s) => s.id === id);

const pendingPod: Pod = {
  metadata: { name: "w-1", uid: "u1" },
  status: {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
  },
};
const failedScheduling = {
  reason: "FailedScheduling",
  message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
  involvedObject: { kind: "Pod", name: "w-1", uid: "u1" },
};
const endpoint: Obj = { metadata: { name: "gemma-4b" }, spec: SPEC, status: { state: "IN_PROGRESS" } };
const rayService = (status: Record<string, unknown> = {}): Obj => ({
  metadata: { name: "gemma-4b" },
  status,
});
const claim = (name: string, type: string, launched?: { status: string; message?: string }): Obj => ({
  metadata: {
    name,
    labels: { "karpenter.sh/nodepool": "gpu-inference", "node.kubernetes.io/instance-type": type },
  },
  status: launched
    ? { conditions: [{ type: "Launched", reason: "InsufficientCapacityError", ...launched }] }
    : {},
});
const ICE = "InsufficientInstanceCapacity: We currently do not have sufficient g6.2xlarge capacity";

describe("the deploy rollout state machine", () => {
  it("starts at ArgoCD when the Application has not reached the commit, with the reason", () => {
    const o = observation({
      application: { status: { sync: { status: "OutOfSync", revision: "ffff000" } } },
    });
    expect(stateOf(o)).toMatchObject({
      pushed: "done",
      synced: "active",
      accepted: "pending",
      answered: "pending",
    });
    expect(step(o, "synced")?.reason).toBe("OutOfSync at ffff000, waiting for a1b2c3d");
  });

  it("says when the workloads Application does not exist", () => {
    expect(step(observation({ application: null }), "synced")?.reason).toContain("aiplat bootstrap");
  });

  it("counts a newer revision holding the same declaration as synced", () => {
    const o = observation({
      application: { status: { sync: { status: "Synced", revision: "b".repeat(40) } } },
      endpoint,
    });
    expect(step(o, "synced")?.state).toBe("done");
  });

  it("shows the FailedScheduling message and Karpenter's NodeClaim while the pod waits", () => {
    const o = observation({
      endpoint,
      rayService: rayService(),
      workerPods: [pendingPod],
      events: [failedScheduling],
      nodeClaims: [claim("gpu-inference-x1", "g6.2xlarge")],
    });
    expect(stateOf(o)).toMatchObject({ rayservice: "done", scheduled: "active", node: "pending" });
    expect(step(o, "scheduled")?.reason).toBe(
      "FailedScheduling: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. — NodeClaim gpu-inference-x1 (g6.2xlarge) launching",
    );
  });

  it("remembers capacity errors across Karpenter's retries and fails once none launched for the limit", () => {
    let errors = collectCapacityErrors(
      {},
      [claim("c1", "g6.2xlarge", { status: "False", message: ICE })],
      [pendingPod],
    );
    // Karpenter deleted c1 and tries the next type: the error is still remembered.
    errors = collectCapacityErrors(errors, [claim("c2", "g5.2xlarge")], [pendingPod]);
    expect(Object.keys(errors)).toEqual(["g6.2xlarge"]);
    const base = {
      endpoint,
      rayService: rayService(),
      workerPods: [pendingPod],
      nodeClaims: [claim("c2", "g5.2xlarge")],
      capacityErrors: errors,
    };
    const early = observation({ ...base, firstSeen: { capacity: 1_000_000 - 60_000 } });
    expect(timedConditions(early)).toContain("capacity");
    expect(step(early, "node")).toMatchObject({ state: "pending" });
    expect(step(early, "node")?.reason).toContain("no GPU capacity for g6.2xlarge");
    expect(step(early, "node")?.reason).toContain("now trying: Karpenter is launching g5.2xlarge");
    const late = observation({ ...base, firstSeen: { capacity: 1_000_000 - 180_000 } });
    const failed = terminalFailure(computeDeploySteps(late));
    expect(failed?.id).toBe("node");
    expect(failed?.reason).toContain("InsufficientInstanceCapacity");
    // Once the pod is scheduled the errors are forgotten.
    expect(collectCapacityErrors(errors, [], [{ ...pendingPod, spec: { nodeName: "n1" } }])).toEqual({});
  });

  it("reports the node's instance type once the pod is bound", () => {
    const o = observation({
      endpoint,
      rayService: rayService(),
      workerPods: [{ ...pendingPod, spec: { nodeName: "ip-1" }, status: { phase: "Pending" } }],
      nodes: [{ metadata: { name: "ip-1", labels: { "node.kubernetes.io/instance-type": "g6.2xlarge" } } }],
    });
    expect(step(o, "node")).toMatchObject({ state: "done", reason: "g6.2xlarge (ip-1)" });
    expect(step(o, "image")?.state).toBe("active");
  });

  it("keeps an image pull error between retries and fails after the limit", () => {
    const pulling = (reason: string): Pod => ({
      metadata: { name: "w-1", uid: "u1" },
      spec: { nodeName: "ip-1" },
      status: {
        phase: "Pending",
        containerStatuses: [{ name: "ray-worker", state: { waiting: { reason, message: "not found" } } }],
      },
    });
    let memory = collectImagePullError(undefined, [pulling("ErrImagePull")]);
    memory = collectImagePullError(memory, [pulling("ContainerCreating")]);
    expect(memory?.message).toBe("ErrImagePull: not found");
    const o = observation({
      endpoint,
      rayService: rayService(),
      workerPods: [pulling("ContainerCreating")],
      imagePullError: memory?.message,
      firstSeen: { "image-pull": 1_000_000 - 300_000 },
    });
    const failed = terminalFailure(computeDeploySteps(o));
    expect(failed?.id).toBe("image");
    expect(failed?.reason).toBe("ErrImagePull: not found (failing for 5m 00s; --image-pull-timeout)");
    // A longer --image-pull-timeout keeps waiting.
    const patient = { ...o, limits: { imagePullMs: 600_000, capacityMs: 180_000 } };
    expect(terminalFailure(computeDeploySteps(patient))).toBeUndefined();
  });

  it("fails fast on DEPLOY_FAILED with Ray's message", () => {
    const o = observation({
      endpoint,
      rayService: rayService({
        activeServiceStatus: {
          applicationStatuses: { llm: { status: "DEPLOY_FAILED", message: "CUDA out of memory" } },
        },
      }),
    });
    expect(terminalFailure(computeDeploySteps(o))).toMatchObject({
      id: "loaded",
      reason: "DEPLOY_FAILED: CUDA out of memory",
    });
  });

  it("waits for the new RayCluster during a zero-downtime upgrade, not the old one's RUNNING", () => {
    const upgrading = observation({
      endpoint,
      rayService: rayService({
        conditions: [
          { type: "Ready", status: "True" },
          { type: "UpgradeInProgress", status: "True" },
        ],
        activeServiceStatus: { applicationStatuses: { llm: { status: "RUNNING" } } },
        pendingServiceStatus: {
          rayClusterName: "gemma-4b-raycluster-new",
          applicationStatuses: { llm: { status: "DEPLOYING" } },
        },
      }),
    });
    expect(step(upgrading, "loaded")).toMatchObject({
      state: "pending",
      reason: "upgrade: new RayCluster DEPLOYING (downloading and loading the weights)",
    });
    expect(step(upgrading, "ready")?.reason).toContain("upgrade in progress");
  });

  it("after a changed declaration, reports the new RayCluster's worker pod, not the old running one", () => {
    const oldPod: Pod = {
      metadata: { name: "old-w", uid: "o1", labels: { "ray.io/cluster": "gemma-4b-raycluster-old" } },
      spec: { nodeName: "ip-old" },
      status: { phase: "Running", containerStatuses: [{ name: "ray-worker", state: { running: {} } }] },
    };
    const newPod: Pod = {
      ...pendingPod,
      metadata: { name: "w-1", uid: "u1", labels: { "ray.io/cluster": "gemma-4b-raycluster-new" } },
    };
    const expected = { serveConfigV2: "new" };
    const carried = (generation: number, observed: number, status: Record<string, unknown>) => ({
      ...rayService(status),
      metadata: { name: "gemma-4b", generation },
      spec: expected,
      status: { ...status, observedGeneration: observed },
    });
    const active = { activeServiceStatus: { rayClusterName: "gemma-4b-raycluster-old" } };
    const base = {
      endpoint,
      expectedRayServiceSpec: expected,
      workerPods: [oldPod, newPod],
      events: [failedScheduling],
      nodes: [{ metadata: { name: "ip-old" } }],
    };
    // KRO has not applied the new spec yet, then KubeRay has not observed it: the old pod says nothing.
    const notApplied = observation({
      ...base,
      rayService: { ...carried(1, 1, active), spec: { serveConfigV2: "old" } },
    });
    expect(stateOf(notApplied)).toMatchObject({
      rayservice: "active",
      scheduled: "pending",
      node: "pending",
      image: "pending",
    });
    const notObserved = observation({ ...base, rayService: carried(2, 1, active) });
    expect(step(notObserved, "scheduled")).toMatchObject({
      state: "active",
      reason: expect.stringContaining("KubeRay"),
    });
    expect(stateOf(notObserved)).toMatchObject({ node: "pending", image: "pending" });
    // KubeRay upgrades: the pending cluster's pod is the one reported.
    const upgrading = observation({
      ...base,
      rayService: carried(2, 2, {
        ...active,
        pendingServiceStatus: { rayClusterName: "gemma-4b-raycluster-new" },
      }),
    });
    expect(step(upgrading, "scheduled")).toMatchObject({
      state: "active",
      reason: expect.stringContaining("FailedScheduling"),
    });
    expect(stateOf(upgrading)).toMatchObject({ node: "pending", image: "pending" });
  });

  it("ignores NodeClaims older than the worker pod (other endpoints' nodes)", () => {
    const pod: Pod = {
      ...pendingPod,
      metadata: { ...pendingPod.metadata, creationTimestamp: "2026-01-01T10:00:00Z" },
    };
    const older = claim("gpu-inference-other", "g6.2xlarge", { status: "True" });
    older.metadata = { ...older.metadata, creationTimestamp: "2026-01-01T09:00:00Z" };
    const mine = claim("gpu-inference-mine", "g6.2xlarge", { status: "False", message: ICE });
    mine.metadata = { ...mine.metadata, creationTimestamp: "2026-01-01T10:00:05Z" };
    const o = observation({
      endpoint,
      rayService: rayService(),
      workerPods: [pod],
      nodeClaims: [older, mine],
    });
    expect(step(o, "scheduled")?.reason).not.toContain("gpu-inference-other");
    expect(step(o, "scheduled")?.reason).toContain("gpu-inference-mine");
    expect(step(o, "node")?.reason).not.toContain("launched, waiting for it to join");
    // Another endpoint's launched node does not stop the capacity timer.
    const errors = collectCapacityErrors({}, [older, mine], [pod]);
    expect(Object.keys(errors)).toEqual(["g6.2xlarge"]);
    expect(timedConditions({ ...o, capacityErrors: errors })).toContain("capacity");
  });

  it("is done when LiteLLM lists the name and a completion answered", () => {
    const running: Pod = {
      metadata: { name: "w-1" },
      spec: { nodeName: "ip-1" },
      status: { phase: "Running", containerStatuses: [{ state: { running: {} } }] },
    };
    const o = observation({
      endpoint: { ...endpoint, status: { state: "ACTIVE" } },
      rayService: rayService({
        conditions: [{ type: "Ready", status: "True" }],
        activeServiceStatus: { applicationStatuses: { llm: { status: "RUNNING" } } },
      }),
      workerPods: [running],
      nodes: [{ metadata: { name: "ip-1" } }],
      litellm: { models: ["gemma-4b"] },
      firstToken: { ms: 412.4 },
    });
    expect(Object.values(stateOf(o)).every((s) => s === "done")).toBe(true);
    expect(step(o, "answered")?.reason).toBe("time to first token 412 ms");
    const unregistered = observation({
      ...o,
      litellm: { error: "LiteLLM GET /v1/models answered 503" },
      firstToken: undefined,
    });
    expect(step(unregistered, "registered")?.reason).toContain("answered 503");
  });

  it("tracks first-seen times and forgets cleared conditions", () => {
    const a = trackFirstSeen({}, ["capacity"], 10);
    const b = trackFirstSeen(a, ["capacity", "image-pull"], 20);
    expect(b).toEqual({ capacity: 10, "image-pull": 20 });
    expect(trackFirstSeen(b, ["image-pull"], 30)).toEqual({ "image-pull": 20 });
  });
});

describe("the undeploy state machine", () => {
  it("waits for the endpoint, RayService, pods and the tracked GPU nodes to go", () => {
    const base = undeployObservation({ trackedNodes: ["ip-1"] });
    const waiting = computeUndeploySteps({ ...base, nodes: [{ metadata: { name: "ip-1" } }] });
    expect(waiting.map((s) => s.state)).toEqual(["done", "done", "done", "done", "done", "active"]);
    expect(waiting[5]?.reason).toContain("ip-1 still running");
    const released = computeUndeploySteps({ ...base, nodes: [{ metadata: { name: "other" } }] });
    expect(released.every((s) => s.state === "done")).toBe(true);
    const deleting = computeUndeploySteps({
      ...base,
      rayService: { metadata: { deletionTimestamp: "x" } },
      nodes: [],
    });
    expect(deleting.find((s) => s.id === "rayservice")).toMatchObject({
      state: "active",
      reason: "RayService gemma-4b deleting (finalizers pending)",
    });
  });
});
