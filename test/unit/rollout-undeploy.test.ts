import { describe, expect, it } from "vitest";
import {
  computeUndeploySteps,
  UNDEPLOY_STEP_IDS,
  type UndeployObservation,
} from "../../src/core/rollout/index.js";
import { undeployObservation as observation } from "../support/rollout-observation.js";

// The live lines of `undeploy-model --wait`: ArgoCD prunes the InferenceEndpoint, KRO deletes the
// RayService, KubeRay its pods, and Karpenter releases the GPU nodes that ran its workers.

const step = (o: UndeployObservation, id: string) => computeUndeploySteps(o).find((s) => s.id === id);

describe("the undeploy steps", () => {
  it("are titled for what goes, in order", () => {
    expect(UNDEPLOY_STEP_IDS).toEqual(["pushed", "synced", "endpoint", "rayservice", "pods", "nodes"]);
    expect(computeUndeploySteps(observation())).toEqual([
      { id: "pushed", title: "Pushed", state: "done", reason: "a1b2c3d to origin/main" },
      { id: "synced", title: "ArgoCD workloads synced", state: "done", reason: "revision a1b2c3d" },
      { id: "endpoint", title: "InferenceEndpoint deleted", state: "done", reason: undefined },
      { id: "rayservice", title: "RayService deleted", state: "done", reason: undefined },
      { id: "pods", title: "Ray pods gone", state: "done", reason: undefined },
      { id: "nodes", title: "GPU nodes released", state: "done", reason: "no GPU node was running for it" },
    ]);
  });

  it("synced: the commit, or the endpoint already gone, counts; otherwise it says what it waits for", () => {
    const behind = { status: { sync: { status: "OutOfSync", revision: "ffff0001234" } } };
    const endpoint = { metadata: { name: "gemma-4b" } };
    expect(step(observation({ application: behind }), "synced")).toMatchObject({
      state: "done",
      reason: "the endpoint is gone from the cluster",
    });
    expect(step(observation({ application: behind, endpoint }), "synced")).toMatchObject({
      state: "active",
      reason: "OutOfSync at ffff000, waiting for a1b2c3d (ArgoCD prunes the endpoint)",
    });
    expect(step(observation({ application: { status: {} }, endpoint }), "synced")?.reason).toBe(
      "Unknown, waiting for a1b2c3d (ArgoCD prunes the endpoint)",
    );
    // Not read yet: the endpoint's absence proves nothing about ArgoCD.
    expect(step(observation({ application: undefined }), "synced")).toMatchObject({
      state: "active",
      reason: "Unknown, waiting for a1b2c3d (ArgoCD prunes the endpoint)",
    });
    expect(step(observation({ application: null, endpoint }), "synced")?.reason).toBe(
      "the ArgoCD Application workloads does not exist",
    );
    expect(step(observation({ application: null }), "synced")?.state).toBe("done");
  });

  it("endpoint and RayService: still present, or deleting while finalizers run", () => {
    const endpoint = { metadata: { name: "gemma-4b" } };
    const steps = computeUndeploySteps(
      observation({
        endpoint,
        rayService: { metadata: { name: "gemma-4b", deletionTimestamp: "2026-01-01T10:00:00Z" } },
      }),
    );
    expect(steps.find((s) => s.id === "endpoint")).toMatchObject({
      state: "active",
      reason: "InferenceEndpoint gemma-4b still present",
    });
    expect(steps.find((s) => s.id === "rayservice")).toMatchObject({
      state: "pending",
      reason: "RayService gemma-4b deleting (finalizers pending)",
    });
  });

  it("pods: counts those still terminating", () => {
    expect(
      step(
        observation({ workerPods: [{ metadata: { name: "w-1" } }, { metadata: { name: "w-2" } }] }),
        "pods",
      ),
    ).toMatchObject({ state: "active", reason: "2 pod(s) terminating" });
  });

  it("nodes: waits for the tracked GPU nodes still running, and names those released", () => {
    const nodes = [{ metadata: { name: "ip-2" } }, { metadata: { name: "ip-9" } }];
    expect(step(observation({ trackedNodes: ["ip-1", "ip-2", "ip-3"], nodes }), "nodes")).toMatchObject({
      state: "active",
      reason: "ip-2 still running (Karpenter removes empty GPU nodes after consolidateAfter)",
    });
    expect(step(observation({ trackedNodes: ["ip-2", "ip-9"], nodes }), "nodes")?.reason).toBe(
      "ip-2, ip-9 still running (Karpenter removes empty GPU nodes after consolidateAfter)",
    );
    expect(step(observation({ trackedNodes: ["ip-1", "ip-3"], nodes }), "nodes")).toMatchObject({
      state: "done",
      reason: "released ip-1, ip-3",
    });
  });
});
