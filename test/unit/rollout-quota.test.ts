import { describe, expect, it } from "vitest";
import {
  collectCapacityErrors,
  computeDeploySteps,
  type DeployObservation,
  type Obj,
  type Pod,
  terminalFailure,
} from "../../src/core/rollout/index.js";
import { deployObservation } from "../support/rollout-observation.js";

// Issue 17 point 2: when the account's G/VT vCPU quota stops Karpenter, `deploy-model --wait` must
// say it is the quota (which never clears by itself), not AWS capacity, and which one to raise.

// What a NodeClaim's Launched condition carries when EC2 CreateFleet refuses for the vCPU quota
// (karpenter-provider-aws wraps fleet errors as "insufficient capacity, with fleet error(s), <code>: <message>").
const VCPU_LIMIT =
  "creating instance, insufficient capacity, with fleet error(s), VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.";

const pendingPod: Pod = {
  metadata: { name: "w-1", uid: "u1" },
  status: {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
  },
};
const claim = (name: string, type: string, message?: string): Obj => ({
  metadata: {
    name,
    labels: { "karpenter.sh/nodepool": "gpu-inference", "node.kubernetes.io/instance-type": type },
  },
  status: message
    ? { conditions: [{ type: "Launched", status: "False", reason: "LaunchFailed", message }] }
    : {},
});

function observation(over: Partial<DeployObservation>): DeployObservation {
  const spec = { model: "google/gemma-3-4b-it", gpuCount: 1 };
  const commit = "a".repeat(40);
  return deployObservation({
    commit,
    spec,
    application: { status: { sync: { status: "Synced", revision: commit } } },
    endpoint: { metadata: { name: "gemma-4b" }, spec, status: { state: "IN_PROGRESS" } },
    rayService: { metadata: { name: "gemma-4b" }, status: {} },
    workerPods: [pendingPod],
    ...over,
  });
}

describe("a NodeClaim refused for the G/VT vCPU quota", () => {
  it("is named as the on-demand quota L-DB2E81BA while waiting and when it fails", () => {
    const errors = collectCapacityErrors({}, [claim("c1", "g6.xlarge", VCPU_LIMIT)], [pendingPod]);
    expect(Object.keys(errors)).toEqual(["g6.xlarge"]);
    const waiting = observation({
      capacityErrors: errors,
      nodeClaims: [claim("c1", "g6.xlarge", VCPU_LIMIT)],
      firstSeen: { capacity: 1_000_000 - 60_000 },
    });
    const node = computeDeploySteps(waiting).find((s) => s.id === "node");
    expect(node?.reason).toContain("VcpuLimitExceeded");
    expect(node?.reason).toContain('"Running On-Demand G and VT instances" vCPU quota (L-DB2E81BA)');
    expect(node?.reason).toContain("not AWS capacity");

    const late = observation({ ...waiting, firstSeen: { capacity: 1_000_000 - 180_000 } });
    const failed = terminalFailure(computeDeploySteps(late));
    expect(failed?.id).toBe("node");
    expect(failed?.reason).toContain("L-DB2E81BA");
  });

  it("a real capacity shortage is not blamed on the quota", () => {
    const ice = "InsufficientInstanceCapacity: We currently do not have sufficient g6.xlarge capacity";
    const errors = collectCapacityErrors({}, [claim("c1", "g6.xlarge", ice)], [pendingPod]);
    const o = observation({ capacityErrors: errors, nodeClaims: [claim("c1", "g6.xlarge", ice)] });
    const reason = computeDeploySteps(o).find((s) => s.id === "node")?.reason ?? "";
    expect(reason).toContain("no GPU capacity for g6.xlarge");
    expect(reason).not.toContain("quota");
  });

  it("an on-demand quota stays the on-demand quota when another type lacks Spot capacity", () => {
    // A NodePool allowing spot and on-demand: one offering fails for want of Spot capacity (EC2's
    // own wording), another for the on-demand vCPU quota. The quota to raise is the on-demand one.
    const spotShortage =
      "InsufficientInstanceCapacity: There is no Spot capacity available that matches your request.";
    const o = observation({ capacityErrors: { "g6.xlarge": spotShortage, "g5.xlarge": VCPU_LIMIT } });
    const reason = computeDeploySteps(o).find((s) => s.id === "node")?.reason ?? "";
    expect(reason).toContain("(L-DB2E81BA)");
    expect(reason).not.toContain("L-3819A6DF");
  });
});
