import type { DeployObservation, UndeployObservation } from "../../src/core/rollout/index.js";

/** The commit a test's deploy pushed, and the spec it declared (gemma-4b from the catalog). */
export const COMMIT = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
export const SPEC = { model: "google/gemma-3-4b-it", gpuCount: 1 };

/**
 * What `deploy-model --wait` sees right after its push: ArgoCD has synced the commit and nothing
 * else exists yet. Each test gives only what its scene changes.
 */
export function deployObservation(over: Partial<DeployObservation> = {}): DeployObservation {
  return {
    name: "gemma-4b",
    commit: COMMIT,
    pushedTo: "origin/main",
    spec: SPEC,
    application: { status: { sync: { status: "Synced", revision: COMMIT } } },
    endpoint: undefined,
    rayService: undefined,
    workerPods: [],
    events: [],
    nodeClaims: [],
    nodes: [],
    registrationJob: undefined,
    litellm: undefined,
    firstToken: undefined,
    now: 1_000_000,
    firstSeen: {},
    capacityErrors: {},
    imagePullError: undefined,
    limits: { imagePullMs: 300_000, capacityMs: 180_000 },
    ...over,
  };
}

/** What `undeploy-model --wait` sees right after its push: ArgoCD has synced the removal. */
export function undeployObservation(over: Partial<UndeployObservation> = {}): UndeployObservation {
  return {
    name: "gemma-4b",
    commit: COMMIT,
    pushedTo: "origin/main",
    application: { status: { sync: { status: "Synced", revision: COMMIT } } },
    endpoint: undefined,
    rayService: undefined,
    workerPods: [],
    trackedNodes: [],
    nodes: [],
    ...over,
  };
}
