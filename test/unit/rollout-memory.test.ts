import { describe, expect, it } from "vitest";
import {
  collectCapacityErrors,
  collectImagePullError,
  type Obj,
  type Pod,
  timedConditions,
} from "../../src/core/rollout/index.js";
import { deployObservation } from "../support/rollout-observation.js";

// What the follower remembers between observations: kubelet's image pull errors across its retries,
// Karpenter's capacity errors across NodeClaims it deletes, and which timed conditions are present.

const pod = (uid: string, waiting?: { reason: string; message?: string }, running = false): Pod => ({
  metadata: { name: `w-${uid}`, uid },
  spec: { nodeName: "ip-1" },
  status: {
    containerStatuses: [
      { name: "ray-worker", state: running ? { running: {} } : waiting ? { waiting } : {} },
    ],
  },
});

describe("the image pull error between kubelet's retries", () => {
  const remembered = { uid: "u1", message: "ErrImagePull: manifest unknown" };

  it("keeps what it had while no worker pod is on view", () => {
    expect(collectImagePullError(remembered, [])).toBe(remembered);
    expect(collectImagePullError(undefined, [])).toBeUndefined();
  });

  it("records the current error with the pod's uid", () => {
    expect(
      collectImagePullError(undefined, [pod("u1", { reason: "ImagePullBackOff", message: "Back-off" })]),
    ).toEqual({
      uid: "u1",
      message: "ImagePullBackOff: Back-off",
    });
  });

  it("keeps it across a plain waiting state of the same pod, forgets it for a new pod or once pulled", () => {
    const retrying = [pod("u1", { reason: "ContainerCreating" })];
    expect(collectImagePullError(remembered, retrying)).toBe(remembered);
    expect(collectImagePullError(remembered, [pod("u2", { reason: "ContainerCreating" })])).toBeUndefined();
    expect(collectImagePullError(undefined, retrying)).toBeUndefined();
    expect(collectImagePullError(remembered, [pod("u1", undefined, true)])).toBeUndefined();
  });
});

describe("capacity errors across Karpenter's retries", () => {
  const pending: Pod = { metadata: { name: "w-1", uid: "u1" }, status: { phase: "Pending" } };
  const refused = (name: string | undefined, type: string | undefined, message: string): Obj => ({
    metadata: {
      ...(name ? { name } : {}),
      labels: {
        "karpenter.sh/nodepool": "gpu-inference",
        ...(type ? { "node.kubernetes.io/instance-type": type } : {}),
      },
    },
    status: { conditions: [{ type: "Launched", status: "False", reason: "LaunchFailed", message }] },
  });

  it("keys each error by instance type, else by NodeClaim name, else '?'; keeps earlier ones", () => {
    const errors = collectCapacityErrors(
      { "g6.xlarge": "InsufficientInstanceCapacity: earlier" },
      [
        refused("gpu-inference-a", "g5.xlarge", "InsufficientInstanceCapacity: g5"),
        refused("gpu-inference-b", undefined, "insufficient capacity: untyped"),
        refused(undefined, undefined, "UnfulfillableCapacity: nameless"),
        refused("gpu-inference-c", "g6e.xlarge", "AccessDenied: not a capacity error"),
      ],
      [pending],
    );
    expect(errors).toEqual({
      "g6.xlarge": "InsufficientInstanceCapacity: earlier",
      "g5.xlarge": "InsufficientInstanceCapacity: g5",
      "gpu-inference-b": "insufficient capacity: untyped",
      "?": "UnfulfillableCapacity: nameless",
    });
  });

  it("forgets them once the worker pod is scheduled", () => {
    expect(collectCapacityErrors({ "g5.xlarge": "x" }, [], [pod("u1")])).toEqual({});
  });
});

describe("timed conditions", () => {
  const base = deployObservation({
    commit: "a".repeat(40),
    spec: {},
    application: undefined,
    workerPods: [{ metadata: { name: "w-1", uid: "u1" } }],
  });

  it("an image pull error and capacity errors with no NodeClaim launched are timed", () => {
    expect(timedConditions(base)).toEqual([]);
    expect(
      timedConditions({ ...base, imagePullError: "ErrImagePull: x", capacityErrors: { "g5.xlarge": "ICE" } }),
    ).toEqual(["image-pull", "capacity"]);
  });

  it("a launched NodeClaim stops the capacity clock", () => {
    const launched: Obj = {
      metadata: { name: "gpu-inference-a", labels: { "karpenter.sh/nodepool": "gpu-inference" } },
      status: { conditions: [{ type: "Launched", status: "True" }] },
    };
    const launching: Obj = { ...launched, status: { conditions: [{ type: "Launched", status: "Unknown" }] } };
    const errors = { "g5.xlarge": "ICE" };
    expect(timedConditions({ ...base, capacityErrors: errors, nodeClaims: [launched] })).toEqual([]);
    expect(timedConditions({ ...base, capacityErrors: errors, nodeClaims: [launching] })).toEqual([
      "capacity",
    ]);
  });
});
