import { describe, expect, it } from "vitest";
import type { Obj, Pod } from "../../src/core/rollout/types.js";
import { buildEndpoints, INSTANCE_LABEL, NODE_TYPE_LABEL } from "../../src/core/status/endpoints.js";

const ready = (status: "True" | "False", message?: string) => ({
  conditions: [{ type: "Ready", status, ...(message === undefined ? {} : { message }) }],
});

const endpoint = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): Obj => ({
  metadata: { name, creationTimestamp: "2026-12-03T09:00:00Z" },
  spec,
  ...(status ? { status } : {}),
});

const pod = (
  endpointName: string,
  nodeType: string,
  phase: string,
  cluster?: string,
  deleting = false,
): Pod => ({
  metadata: {
    labels: {
      "app.kubernetes.io/instance": endpointName,
      "ray.io/node-type": nodeType,
      ...(cluster ? { "ray.io/cluster": cluster } : {}),
    },
    ...(deleting ? { deletionTimestamp: "2026-12-03T10:00:00Z" } : {}),
  },
  status: { phase },
});

describe("status: endpoint rows", () => {
  it("names the labels the RGD puts on every Ray pod", () => {
    expect(INSTANCE_LABEL).toBe("app.kubernetes.io/instance");
    expect(NODE_TYPE_LABEL).toBe("ray.io/node-type");
  });

  it("counts as replicas the running workers of the endpoint's current RayCluster that are not being deleted", () => {
    const rayService: Obj = {
      metadata: { name: "gemma" },
      status: { ...ready("True"), activeServiceStatus: { rayClusterName: "gemma-abc" } },
    };
    const { endpoints } = buildEndpoints(
      [
        endpoint(
          "gemma",
          { model: "google/gemma-3-4b-it", minReplicas: 1, maxReplicas: 3, gpuCount: 2 },
          { state: "ACTIVE", ...ready("True", "all good") },
        ),
      ],
      [{ status: ready("False") }, rayService],
      [
        pod("gemma", "worker", "Running", "gemma-abc"),
        pod("gemma", "worker", "Running", "gemma-abc"),
        pod("gemma", "worker", "Running", "gemma-old"),
        pod("gemma", "worker", "Pending", "gemma-abc"),
        pod("gemma", "head", "Running", "gemma-abc"),
        pod("gemma", "worker", "Running", "gemma-abc", true),
        pod("qwen", "worker", "Running", "gemma-abc"),
        // a worker the kubelet has not reported on yet, and pods with no labels or metadata at all
        {
          metadata: {
            labels: {
              "app.kubernetes.io/instance": "gemma",
              "ray.io/node-type": "worker",
              "ray.io/cluster": "gemma-abc",
            },
          },
        },
        { metadata: {} },
        {},
        {
          metadata: { labels: { "ray.io/node-type": "worker", "ray.io/cluster": "gemma-abc" } },
          status: { phase: "Running" },
        },
      ],
      ["gemma", "other"],
      { requests: new Map([["gemma", 42]]) },
    );
    expect(endpoints).toEqual([
      {
        name: "gemma",
        model: "google/gemma-3-4b-it",
        state: "ACTIVE",
        ready: true,
        replicas: { current: 2, min: 1, max: 3 },
        gpus: 2,
        registered: true,
        requests: 42,
        createdAt: "2026-12-03T09:00:00Z",
      },
    ]);
  });

  it("counts every running worker of the endpoint before KubeRay names a RayCluster", () => {
    const { endpoints } = buildEndpoints(
      [endpoint("qwen", {})],
      [],
      [
        pod("qwen", "worker", "Running"),
        pod("qwen", "worker", "Running", "qwen-xyz"),
        pod("qwen", "worker", "Failed"),
      ],
      undefined,
    );
    expect(endpoints[0]?.replicas.current).toBe(2);
  });

  it("defaults what the spec leaves out (or gives in the wrong type): 1-4 replicas, 1 GPU, no model, PENDING", () => {
    const { endpoints } = buildEndpoints(
      [endpoint("a", {}), endpoint("b", { model: 7, minReplicas: "2", maxReplicas: "8", gpuCount: "4" }, {})],
      [],
      [],
      undefined,
    );
    const expected = {
      state: "PENDING",
      ready: false,
      replicas: { current: 0, min: 1, max: 4 },
      gpus: 1,
      createdAt: "2026-12-03T09:00:00Z",
    };
    expect(endpoints).toEqual([
      { name: "a", ...expected },
      { name: "b", ...expected },
    ]);
    expect(endpoints[0]).toHaveProperty("registered", undefined);
    expect(endpoints[0]).toHaveProperty("requests", undefined);
    expect(endpoints[0]).toHaveProperty("model", undefined);
  });

  it("marks registration in LiteLLM and counts 0 requests for a model LiteLLM reports nothing for", () => {
    const { endpoints } = buildEndpoints(
      [endpoint("b", {}), endpoint("a", {}), { metadata: {} }, {}],
      [],
      [],
      ["a"],
      { requests: new Map([["z", 5]]) },
    );
    expect(endpoints.map((e) => [e.name, e.registered, e.requests])).toEqual([
      ["a", true, 0],
      ["b", false, 0],
    ]);
  });

  it("says why an endpoint is not ready: Ray Serve's failure first, then the instance's condition, then the RayService's", () => {
    const failedApp = {
      status: "DEPLOY_FAILED",
      message: "Failed to update the deployments ['VLLMDeployment'].",
    };
    const rayService = (name: string, status: Record<string, unknown>): Obj => ({
      metadata: { name },
      status,
    });
    const { endpoints } = buildEndpoints(
      [
        endpoint("a-serve", {}, ready("False", "waiting for rayservice")),
        endpoint("b-instance", {}, ready("False", "waiting for rayservice")),
        endpoint("c-rayservice", {}),
        endpoint("d-nothing", {}, ready("False", "")),
        endpoint("e-running", {}),
      ],
      [
        rayService("a-serve", {
          ...ready("False", "not ready"),
          activeServiceStatus: {
            applicationStatuses: { first: { status: "RUNNING", message: "up" }, llm: failedApp },
          },
        }),
        rayService("b-instance", { ...ready("False", "RayCluster not ready"), activeServiceStatus: {} }),
        rayService("c-rayservice", ready("False", "RayCluster not ready")),
        rayService("d-nothing", ready("False", "")),
        rayService("e-running", {
          activeServiceStatus: { applicationStatuses: { llm: { status: "RUNNING", message: "up" } } },
        }),
      ],
      [],
      undefined,
    );
    expect(endpoints.map((e) => [e.name, e.message])).toEqual([
      ["a-serve", "DEPLOY_FAILED: Failed to update the deployments ['VLLMDeployment']."],
      ["b-instance", "waiting for rayservice"],
      ["c-rayservice", "RayCluster not ready"],
      ["d-nothing", undefined],
      ["e-running", undefined],
    ]);
    expect(endpoints[3]).toHaveProperty("message", undefined);
  });

  it("names a Serve app without a status '?' and skips one that says nothing about why", () => {
    const { endpoints } = buildEndpoints(
      [endpoint("x", {})],
      [
        {
          metadata: { name: "x" },
          status: {
            activeServiceStatus: {
              applicationStatuses: { quiet: { status: "DEPLOYING" }, odd: { message: "boom" } },
            },
          },
        },
      ],
      [],
      undefined,
    );
    expect(endpoints[0]?.message).toBe("?: boom");
  });

  it("joins each endpoint with its own RayService and pods, and sorts the rows by name", () => {
    const { endpoints } = buildEndpoints(
      [endpoint("zz", {}), endpoint("aa", {})],
      [
        { metadata: { name: "aa" }, status: ready("True") },
        { metadata: {}, status: ready("True") },
      ],
      [pod("aa", "worker", "Running"), pod("zz", "worker", "Running"), pod("zz", "worker", "Running")],
      undefined,
    );
    expect(endpoints.map((e) => [e.name, e.ready, e.replicas.current])).toEqual([
      ["aa", true, 1],
      ["zz", false, 2],
    ]);
  });
});
