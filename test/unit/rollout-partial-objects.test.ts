import { describe, expect, it } from "vitest";
import {
  claimsForPod,
  collectCapacityErrors,
  collectImagePullError,
  computeDeploySteps,
  computeUndeploySteps,
  type DeployObservation,
  imagePullState,
  type KubeEvent,
  type Obj,
  type Pod,
  pickWorkerPod,
} from "../../src/core/rollout/index.js";
import { judgeNode, judgeScheduled } from "../../src/core/rollout/judge-worker.js";
import {
  claimInstanceType,
  currentWorkerPods,
  describeClaims,
  gpuNodeClaims,
  latestEvent,
  unscheduledReason,
} from "../../src/core/rollout/observe-pods.js";
import { deployObservation } from "../support/rollout-observation.js";

// src/core/rollout/types.ts: "everything is optional because a real cluster may leave any of them
// out". The follower runs for many minutes against whatever the API server returns: an object
// without metadata, status or state must be read as "not there yet", never stop it with a TypeError.

const ICE = "InsufficientInstanceCapacity: We currently do not have sufficient g6.2xlarge capacity";
const refused: Obj = { status: { conditions: [{ type: "Launched", status: "False", message: ICE }] } };
const launched: Obj = { status: { conditions: [{ type: "Launched", status: "True" }] } };
const launching: Obj = { status: {} };
const bare: Pod = {};

function observation(over: Partial<DeployObservation> = {}): DeployObservation {
  const commit = "a".repeat(40);
  return deployObservation({
    commit,
    spec: { model: "m" },
    application: { status: { sync: { status: "Synced", revision: commit } } },
    ...over,
  });
}
const stateOf = (o: DeployObservation, id: string) => computeDeploySteps(o).find((s) => s.id === id)?.state;

describe("objects without metadata", () => {
  it("pods: picked, filtered by RayCluster, matched to claims and events, explained", () => {
    expect(pickWorkerPod([bare])).toBe(bare);
    const upgrading: Obj = { status: { pendingServiceStatus: { rayClusterName: "new" } } };
    expect(currentWorkerPods(upgrading, [bare])).toEqual([bare]);
    expect(claimsForPod([launching], bare)).toEqual([launching]);
    const event: KubeEvent = {
      reason: "FailedScheduling",
      message: "0/1 nodes",
      involvedObject: { kind: "Pod", name: "w-1", uid: "u1" },
    };
    expect(latestEvent([event], bare, "FailedScheduling")).toBeUndefined();
    expect(unscheduledReason(bare, [])).toMatch(/ is Pending$/);
    expect(judgeScheduled(observation(), bare).done).toBe(false);
    expect(judgeScheduled(observation(), { spec: { nodeName: "ip-1" } }).done).toBe(true);
    // Scheduled by its condition before spec.nodeName is on view.
    const bound: Pod = { status: { conditions: [{ type: "PodScheduled", status: "True" }] } };
    expect(judgeScheduled(observation(), bound).done).toBe(true);
  });

  it("a failing pull of a pod without uid is remembered for the next pod without uid", () => {
    const failing: Pod = {
      status: { containerStatuses: [{ state: { waiting: { reason: "ErrImagePull" } } }] },
    };
    const memory = collectImagePullError(undefined, [failing]);
    expect(memory).toEqual({ uid: undefined, message: "ErrImagePull:" });
    const retrying: Pod = {
      status: { containerStatuses: [{ state: { waiting: { reason: "ContainerCreating" } } }] },
    };
    expect(collectImagePullError(memory, [retrying])).toBe(memory);
  });

  it("NodeClaims: counted as GPU claims, typed from their status, described, keyed '?' when refused", () => {
    expect(gpuNodeClaims([launching])).toEqual([launching]);
    expect(claimInstanceType({ status: { instanceType: "g5.xlarge" } })).toBe("g5.xlarge");
    expect(describeClaims([launching])).toMatch(/^NodeClaim .* launching$/);
    expect(collectCapacityErrors({}, [refused], [bare])).toEqual({ "?": ICE });
    expect(judgeNode(observation({ nodeClaims: [launched] }), bare).done).toBe(false);
    expect(judgeNode(observation({ nodeClaims: [launching] }), bare).done).toBe(false);
  });

  it("Nodes: a node without metadata is not the pod's node", () => {
    const node = { metadata: { name: "ip-1", labels: { "node.kubernetes.io/instance-type": "g5.xlarge" } } };
    expect(judgeNode(observation({ nodes: [{}, node] }), { spec: { nodeName: "ip-1" } })).toEqual({
      done: true,
      reason: "g5.xlarge (ip-1)",
    });
  });

  it("events: one without involvedObject is about no pod", () => {
    const pod: Pod = { metadata: { name: "w-1", uid: "u1" } };
    const event: KubeEvent = { reason: "FailedScheduling", message: "0/1 nodes" };
    expect(latestEvent([event], pod, "FailedScheduling")).toBeUndefined();
    expect(latestEvent([event], { metadata: { name: "w-1" } }, "FailedScheduling")).toBeUndefined();
    // Without uids on both sides, the name decides: another pod's event is not this pod's.
    const other: KubeEvent = {
      reason: "FailedScheduling",
      message: "x",
      involvedObject: { kind: "Pod", name: "w-2" },
    };
    expect(latestEvent([other], pod, "FailedScheduling")).toBeUndefined();
  });

  it("the RayService and the endpoint during undeploy", () => {
    const o = observation({
      endpoint: { spec: { model: "m" }, status: { state: "ACTIVE" } },
      rayService: { status: {} },
    });
    expect(stateOf(o, "rayservice")).toBe("done");
    const steps = computeUndeploySteps({
      name: "gemma-4b",
      commit: "a".repeat(40),
      pushedTo: "origin/main",
      application: {},
      endpoint: {},
      rayService: undefined,
      workerPods: [],
      trackedNodes: ["ip-1"],
      nodes: [{}],
    });
    expect(steps.map((s) => s.reason)).toEqual([
      "aaaaaaa to origin/main",
      "Unknown, waiting for aaaaaaa (ArgoCD prunes the endpoint)",
      "InferenceEndpoint gemma-4b still present",
      undefined,
      undefined,
      "released ip-1",
    ]);
  });
});

describe("objects without status or state", () => {
  it("a container without state is still being created", () => {
    const pod: Pod = { spec: { nodeName: "ip-1" }, status: { containerStatuses: [{ name: "ray-worker" }] } };
    expect(imagePullState(pod)).toEqual({ state: "pulling", message: "ContainerCreating" });
    const mixed: Pod = { status: { containerStatuses: [{ state: { running: {} } }, { name: "sidecar" }] } };
    expect(imagePullState(mixed)).toEqual({ state: "pulling", message: "ContainerCreating" });
  });

  it("an Application without status is not synced; one whose last operation names no revision did not fail this commit", () => {
    expect(stateOf(observation({ application: {} }), "synced")).toBe("active");
    const failedOther = {
      status: {
        sync: { status: "OutOfSync" },
        operationState: { phase: "Failed", message: "x", operation: {} },
      },
    };
    expect(stateOf(observation({ application: failedOther }), "synced")).toBe("active");
  });

  it("a registration Job without status is running", () => {
    const job = { metadata: { name: "gemma-4b-litellm-register" } };
    expect(
      computeDeploySteps(observation({ registrationJob: job })).find((s) => s.id === "registered")?.reason,
    ).toBe("registration Job: running; not in LiteLLM /v1/models yet");
  });

  it("a RayService without spec, or a declaration whose worker group is partly written, is compared as it stands", () => {
    const expected = {
      serveConfigV2: "applications: [llm]",
      rayClusterConfig: {
        workerGroupSpecs: [{ minReplicas: 1, template: { spec: { containers: [{ image: "i" }] } } }],
      },
    };
    const judged = (spec: Record<string, unknown> | undefined) =>
      stateOf(
        observation({
          endpoint: { spec: { model: "m" }, status: { state: "ACTIVE" } },
          rayService: { metadata: { name: "gemma-4b" }, ...(spec ? { spec } : {}) },
          expectedRayServiceSpec: expected,
        }),
        "rayservice",
      );
    expect(judged(undefined)).toBe("active");
    expect(judged(expected)).toBe("done");
    const worker = (w: Record<string, unknown>) => ({
      serveConfigV2: "applications: [llm]",
      rayClusterConfig: { workerGroupSpecs: [w] },
    });
    expect(judged(worker({ minReplicas: 1 }))).toBe("active");
    expect(judged(worker({ minReplicas: 1, template: {} }))).toBe("active");
    expect(judged(worker({ minReplicas: 1, template: { spec: {} } }))).toBe("active");
  });
});
