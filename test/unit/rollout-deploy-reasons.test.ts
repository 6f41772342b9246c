import { describe, expect, it } from "vitest";
import {
  computeDeploySteps,
  type DeployObservation,
  type Obj,
  orderSteps,
  type Pod,
  terminalFailure,
} from "../../src/core/rollout/index.js";
import { COMMIT, deployObservation as observation, SPEC } from "../support/rollout-observation.js";

// The live lines of `deploy-model --wait` (README "Following a rollout"): each step's title and the
// reason it shows while it waits, fails or is done. These are the texts a user reads.

const endpoint: Obj = { metadata: { name: "gemma-4b" }, spec: SPEC, status: { state: "IN_PROGRESS" } };

const step = (o: DeployObservation, id: string) => computeDeploySteps(o).find((s) => s.id === id);
const runningPod: Pod = {
  metadata: { name: "w-1", uid: "u1" },
  spec: { nodeName: "ip-1" },
  status: { phase: "Running", containerStatuses: [{ state: { running: {} } }] },
};
const serving = (status: Record<string, unknown>, metadata: Obj["metadata"] = { name: "gemma-4b" }): Obj => ({
  metadata,
  status,
});
const app = (llm: Record<string, unknown>) => ({ activeServiceStatus: { applicationStatuses: { llm } } });
/** Every layer up to the RayService is done and the worker runs: the serve layers are judged. */
const atServe = (rayService: Obj, over: Partial<DeployObservation> = {}) =>
  observation({
    endpoint,
    rayService,
    workerPods: [runningPod],
    nodes: [{ metadata: { name: "ip-1" } }],
    ...over,
  });

describe("the steps and their titles", () => {
  it("lists the eleven layers in order with the titles the live view shows", () => {
    const steps = computeDeploySteps(observation());
    expect(steps.map((s) => [s.id, s.title])).toEqual([
      ["pushed", "Pushed"],
      ["synced", "ArgoCD workloads synced"],
      ["accepted", "InferenceEndpoint accepted"],
      ["rayservice", "RayService created"],
      ["scheduled", "Worker pod scheduled"],
      ["node", "GPU node launched"],
      ["image", "Image pulled"],
      ["loaded", "Model loaded"],
      ["ready", "Ready"],
      ["registered", "Registered in LiteLLM"],
      ["answered", "First completion answered"],
    ]);
    expect(steps[0]).toEqual({
      id: "pushed",
      title: "Pushed",
      state: "done",
      reason: "a1b2c3d to origin/main",
    });
  });
});

describe("synced: ArgoCD's workloads Application", () => {
  it("says what it waits for before the Application is read and when it is missing", () => {
    expect(step(observation({ application: undefined }), "synced")).toMatchObject({
      state: "active",
      reason: "reading the ArgoCD Application workloads",
    });
    expect(step(observation({ application: null }), "synced")).toMatchObject({
      state: "active",
      reason: "the ArgoCD Application workloads does not exist yet (run `aiplat bootstrap`)",
    });
  });

  it("is done at this commit, or when the cluster already holds this declaration", () => {
    expect(step(observation(), "synced")).toMatchObject({ state: "done", reason: "revision a1b2c3d" });
    const newer = { status: { sync: { status: "Synced", revision: "b".repeat(40) } } };
    expect(step(observation({ application: newer, endpoint }), "synced")).toMatchObject({
      state: "done",
      reason: "the cluster holds a1b2c3d's declaration",
    });
    // A different value, or no spec at all, is not this declaration.
    const other = { ...endpoint, spec: { ...SPEC, gpuCount: 2 } };
    expect(step(observation({ application: newer, endpoint: other }), "synced")?.state).toBe("active");
    const bare = { metadata: { name: "gemma-4b" }, status: { state: "ACTIVE" } };
    expect(step(observation({ application: newer, endpoint: bare }), "synced")?.state).toBe("active");
  });

  it("waits with the sync status, the revision it is at and ArgoCD's message unless it succeeded", () => {
    expect(step(observation({ application: { status: {} } }), "synced")?.reason).toBe(
      "Unknown, waiting for a1b2c3d",
    );
    const running = {
      status: {
        sync: { status: "OutOfSync", revision: "ffff0001234" },
        operationState: { phase: "Running", message: "waiting for healthy state of argoproj.io/Application" },
      },
    };
    expect(step(observation({ application: running }), "synced")?.reason).toBe(
      "OutOfSync at ffff000, waiting for a1b2c3d — waiting for healthy state of argoproj.io/Application",
    );
    const succeeded = {
      status: {
        sync: { status: "OutOfSync", revision: "ffff0001234" },
        operationState: { phase: "Succeeded", message: "successfully synced (all tasks run)" },
      },
    };
    expect(step(observation({ application: succeeded }), "synced")?.reason).toBe(
      "OutOfSync at ffff000, waiting for a1b2c3d",
    );
  });

  it("a failed sync of this commit without a message names the phase", () => {
    const failed = {
      status: {
        sync: { status: "OutOfSync" },
        operationState: { phase: "Error", syncResult: { revision: COMMIT } },
      },
    };
    expect(terminalFailure(computeDeploySteps(observation({ application: failed })))).toMatchObject({
      id: "synced",
      reason: "ArgoCD could not sync a1b2c3d: Error",
    });
    const succeeded = {
      status: {
        sync: { status: "OutOfSync" },
        operationState: { phase: "Succeeded", syncResult: { revision: COMMIT } },
      },
    };
    expect(terminalFailure(computeDeploySteps(observation({ application: succeeded })))).toBeUndefined();
  });
});

describe("accepted and rayservice: KRO", () => {
  it("waits for the InferenceEndpoint, then for KRO's status", () => {
    expect(step(observation(), "accepted")?.reason).toBe("InferenceEndpoint gemma-4b not in the cluster yet");
    const noStatus = { metadata: { name: "gemma-4b" }, spec: SPEC };
    expect(step(observation({ endpoint: noStatus }), "accepted")).toMatchObject({
      state: "active",
      reason: "waiting for KRO to process it (no status yet)",
    });
    expect(step(observation({ endpoint }), "accepted")).toMatchObject({
      state: "done",
      reason: "state IN_PROGRESS",
    });
  });

  it("waits for the RayService, then for it to carry this declaration", () => {
    expect(step(observation({ endpoint }), "rayservice")).toMatchObject({
      state: "active",
      reason: "KRO has not created the RayService yet",
    });
    // Before KRO made it, the worker layers are judged as they stand: no pod yet.
    expect(step(observation({ endpoint }), "scheduled")?.reason).toBe(
      "no Ray worker pod yet (KubeRay creates it with the RayCluster)",
    );
    expect(step(observation({ endpoint, rayService: serving({}) }), "rayservice")).toMatchObject({
      state: "done",
      reason: "RayService gemma-4b",
    });
  });

  it("compares only what a declaration decides: serve config, worker replicas, image and resources", () => {
    const spec = (over: {
      serve?: string;
      min?: number;
      max?: number;
      image?: string;
      gpus?: number;
      x?: string;
    }) => ({
      serveConfigV2: over.serve ?? "applications: [llm]",
      rayClusterConfig: {
        rayVersion: over.x ?? "2.44.0",
        workerGroupSpecs: [
          {
            minReplicas: over.min ?? 1,
            maxReplicas: over.max ?? 1,
            template: {
              spec: {
                containers: [
                  {
                    image: over.image ?? "rayproject/ray-llm:2.44.0",
                    resources: { limits: { "nvidia.com/gpu": over.gpus ?? 1 } },
                  },
                ],
              },
            },
          },
        ],
      },
    });
    const judged = (actual: Record<string, unknown>) =>
      step(
        observation({
          endpoint,
          rayService: { metadata: { name: "gemma-4b" }, spec: actual },
          expectedRayServiceSpec: spec({}),
        }),
        "rayservice",
      );
    expect(judged(spec({}))?.state).toBe("done");
    expect(judged(spec({ x: "2.45.0" }))?.state).toBe("done");
    for (const changed of [{ serve: "other" }, { min: 0 }, { max: 2 }, { image: "my/ray:1" }, { gpus: 2 }])
      expect(judged(spec(changed))).toMatchObject({
        state: "active",
        reason: "the RayService does not carry this declaration yet (KRO applies it)",
      });
    // While KRO has not applied it, the worker layers wait for KubeRay rather than judge old pods.
    const stale = observation({
      endpoint,
      rayService: { metadata: { name: "gemma-4b" }, spec: spec({ gpus: 2 }) },
      expectedRayServiceSpec: spec({}),
      workerPods: [runningPod],
    });
    for (const id of ["scheduled", "node", "image", "loaded", "ready"])
      expect(step(stale, id)?.reason).toBe("waiting for KubeRay to apply the change to the RayCluster");
  });
});

describe("loaded and ready: Ray Serve and the RayService", () => {
  it("waits for KubeRay to observe a new generation, and judges once it has", () => {
    const stale = atServe(
      serving({ ...app({ status: "RUNNING" }), observedGeneration: 1 }, { name: "gemma-4b", generation: 2 }),
    );
    expect(step(stale, "loaded")?.reason).toBe("waiting for KubeRay to apply the change to the RayCluster");
    const caughtUp = atServe(
      serving(
        {
          ...app({ status: "RUNNING" }),
          observedGeneration: 2,
          conditions: [{ type: "Ready", status: "True" }],
        },
        { name: "gemma-4b", generation: 2 },
      ),
    );
    expect(step(caughtUp, "loaded")).toMatchObject({ state: "done", reason: "RUNNING" });
    expect(step(caughtUp, "ready")?.state).toBe("done");
    const ahead = atServe(
      serving({ ...app({ status: "RUNNING" }), observedGeneration: 3 }, { name: "gemma-4b", generation: 2 }),
    );
    expect(step(ahead, "loaded")?.state).toBe("done");
    const unobserved = atServe(serving(app({ status: "RUNNING" }), { name: "gemma-4b", generation: 2 }));
    expect(step(unobserved, "loaded")?.state).toBe("done");
  });

  it("names the serve status while loading: not started, Ray's message, or the weights download", () => {
    expect(step(atServe(serving({})), "loaded")).toMatchObject({
      state: "active",
      reason: "Ray Serve application not started yet",
    });
    expect(step(atServe(serving(app({ status: "DEPLOYING" }))), "loaded")?.reason).toBe(
      "DEPLOYING (downloading and loading the weights)",
    );
    expect(
      step(atServe(serving(app({ status: "DEPLOYING", message: "Deploying app 'llm'." }))), "loaded")?.reason,
    ).toBe("DEPLOYING: Deploying app 'llm'.");
  });

  it("reads an app of another name when there is no 'llm' app", () => {
    const other = serving({ activeServiceStatus: { applicationStatuses: { chat: { status: "RUNNING" } } } });
    expect(step(atServe(other), "loaded")).toMatchObject({ state: "done", reason: "RUNNING" });
    const both = serving({
      activeServiceStatus: {
        applicationStatuses: { chat: { status: "RUNNING" }, llm: { status: "DEPLOYING" } },
      },
    });
    expect(step(atServe(both), "loaded")?.state).toBe("active");
  });

  it("fails on DEPLOY_FAILED with the cause when Ray names one, or points to the dashboard", () => {
    const gated = serving(
      app({
        status: "DEPLOY_FAILED",
        serveDeploymentStatuses: {
          "LLMServer:gemma": {
            status: "DEPLOY_FAILED",
            message: "Error:\nhuggingface_hub.errors.GatedRepoError: 401 Client Error.",
          },
        },
      }),
    );
    expect(terminalFailure(computeDeploySteps(atServe(gated)))).toEqual({
      id: "loaded",
      title: "Model loaded",
      state: "failed",
      reason: "DEPLOY_FAILED: huggingface_hub.errors.GatedRepoError: 401 Client Error.",
      cause: "gated-model",
    });
    expect(
      terminalFailure(computeDeploySteps(atServe(serving(app({ status: "DEPLOY_FAILED" }))))),
    ).toStrictEqual({
      id: "loaded",
      title: "Model loaded",
      state: "failed",
      reason: "DEPLOY_FAILED: see the Ray dashboard",
    });
  });

  it("during an upgrade, waits for the new RayCluster: its status, even RUNNING, is not yet serving", () => {
    const upgrade = (pending: Record<string, unknown> | undefined, conditions: unknown[] = []) =>
      atServe(
        serving({
          conditions,
          activeServiceStatus: { rayClusterName: "old", applicationStatuses: { llm: { status: "RUNNING" } } },
          ...(pending
            ? { pendingServiceStatus: { rayClusterName: "new", applicationStatuses: { llm: pending } } }
            : {}),
        }),
      );
    expect(step(upgrade({ status: "RUNNING" }), "loaded")).toMatchObject({
      state: "active",
      reason: "upgrade: new RayCluster RUNNING (downloading and loading the weights)",
    });
    expect(step(upgrade({ status: "DEPLOY_FAILED", message: "boom" }), "loaded")).toMatchObject({
      state: "failed",
      reason: "upgrade: new RayCluster DEPLOY_FAILED: boom",
    });
    // KubeRay's UpgradeInProgress condition alone, before the new cluster is named.
    const starting = upgrade(undefined, [{ type: "UpgradeInProgress", status: "True" }]);
    expect(step(starting, "loaded")?.reason).toBe(
      "upgrade: new RayCluster Ray Serve application not started yet",
    );
    expect(step(starting, "ready")).toMatchObject({
      state: "pending",
      reason: "upgrade in progress: the old RayCluster serves until the new one is ready",
    });
    const over = upgrade(undefined, [
      { type: "UpgradeInProgress", status: "False" },
      { type: "Ready", status: "True" },
    ]);
    expect(step(over, "loaded")?.state).toBe("done");
    expect(step(over, "ready")?.state).toBe("done");
  });

  it("ready: waits with the Ready condition's message, else its reason, else a plain line", () => {
    const ready = (conditions: unknown[]) =>
      step(atServe(serving({ ...app({ status: "RUNNING" }), conditions })), "ready");
    expect(ready([{ type: "Ready", status: "True" }])).toMatchObject({ state: "done", reason: undefined });
    expect(
      ready([{ type: "Ready", status: "False", reason: "ServeNotReady", message: "head pod not ready" }])
        ?.reason,
    ).toBe("head pod not ready");
    expect(ready([{ type: "Ready", status: "False", reason: "ServeNotReady" }])?.reason).toBe(
      "ServeNotReady",
    );
    expect(ready([])).toMatchObject({ state: "active", reason: "RayService not Ready yet" });
    const stale = atServe(serving({ observedGeneration: 1 }, { name: "gemma-4b", generation: 2 }));
    expect(step({ ...stale, rayService: { ...stale.rayService, spec: {} } }, "ready")?.reason).toBe(
      "waiting for KubeRay to apply the change to the RayCluster",
    );
  });
});

describe("registered and answered: LiteLLM", () => {
  const job = (status: Record<string, unknown>): Obj => ({
    metadata: { name: "gemma-4b-litellm-register" },
    status,
  });

  it("says how the registration Job is doing while the model is not listed", () => {
    const reason = (over: Partial<DeployObservation>) => step(observation(over), "registered")?.reason;
    expect(reason({})).toBe("registration Job not created yet; not in LiteLLM /v1/models yet");
    expect(reason({ registrationJob: job({ active: 1 }) })).toBe(
      "registration Job: running; not in LiteLLM /v1/models yet",
    );
    expect(reason({ registrationJob: job({ failed: 2, active: 1 }) })).toBe(
      "registration Job: 2 failed attempt(s); not in LiteLLM /v1/models yet",
    );
    expect(
      reason({ registrationJob: job({ succeeded: 1, failed: 1 }), litellm: { models: ["other"] } }),
    ).toBe("registration Job: succeeded; not in LiteLLM /v1/models yet");
    expect(
      reason({ registrationJob: job({ succeeded: 1 }), litellm: { error: "connect ECONNREFUSED" } }),
    ).toBe("registration Job: succeeded; LiteLLM: connect ECONNREFUSED");
    expect(step(observation({ litellm: { error: "connect ECONNREFUSED" } }), "registered")?.state).toBe(
      "pending",
    );
    expect(step(observation(), "registered")?.state).toBe("pending");
  });

  it("fails at once when LiteLLM refuses the key", () => {
    const refused = "LiteLLM refused the master key (401): ai-platform/litellm-secrets changed";
    expect(step(observation({ litellm: { error: refused, terminal: true } }), "registered")).toMatchObject({
      state: "failed",
      reason: refused,
    });
  });

  it("answered: the time to first token, rounded; LiteLLM's error; or what it is doing", () => {
    expect(step(observation({ firstToken: { ms: 0 } }), "answered")).toMatchObject({
      state: "done",
      reason: "time to first token 0 ms",
    });
    expect(step(observation({ firstToken: { ms: 1234.6 } }), "answered")?.reason).toBe(
      "time to first token 1235 ms",
    );
    expect(step(observation({ firstToken: { error: "504 Gateway Timeout" } }), "answered")).toMatchObject({
      state: "pending",
      reason: "504 Gateway Timeout",
    });
    expect(step(observation(), "answered")?.reason).toBe("sending a chat completion through LiteLLM");
    expect(
      step(observation({ firstToken: { error: "401 invalid key", terminal: true } }), "answered"),
    ).toMatchObject({
      state: "failed",
      reason: "401 invalid key",
    });
  });
});

describe("ordering the judged steps", () => {
  it("the first not-done step is active, a failed one stops the line, later ones are pending", () => {
    const titles = { a: "A", b: "B", c: "C", d: "D" };
    expect(
      orderSteps(
        ["a", "b", "c", "d"] as const,
        {
          a: { done: true, reason: "ok" },
          b: { done: false, failed: true, reason: "broken", cause: "gpu-memory" },
          c: { done: false, reason: "later" },
          d: { done: true },
        },
        titles,
      ),
    ).toStrictEqual([
      { id: "a", title: "A", state: "done", reason: "ok" },
      { id: "b", title: "B", state: "failed", reason: "broken", cause: "gpu-memory" },
      { id: "c", title: "C", state: "pending", reason: "later" },
      { id: "d", title: "D", state: "done", reason: undefined },
    ]);
    expect(
      orderSteps(
        ["a", "b", "c"] as const,
        { a: { done: false, reason: "first" }, b: { done: false }, c: { done: false, failed: true } },
        { a: "A", b: "B", c: "C" },
      ).map((s) => s.state),
    ).toEqual(["active", "pending", "failed"]);
  });
});
