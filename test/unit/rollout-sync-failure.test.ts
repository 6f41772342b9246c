/**
 * A failed ArgoCD sync of the deploy's own commit is terminal: the follower must stop at once
 * with ArgoCD's message instead of waiting for --timeout. A failure of an older revision is not
 * this deploy's failure (ArgoCD retries with the new commit), so it only explains the wait.
 * Application status shape: Argo CD's Application CRD (status.operationState.phase is one of
 * Running, Failed, Error, Succeeded, Terminating; syncResult.revision the revision it synced).
 */
import { describe, expect, it } from "vitest";
import { computeDeploySteps, type DeployObservation, terminalFailure } from "../../src/core/rollout/index.js";
import { deployObservation } from "../support/rollout-observation.js";

const COMMIT = "c0ffee00112233445566778899aabbccddeeff00";
const OLD = "0ld0ld00112233445566778899aabbccddeeff00";

function observation(application: DeployObservation["application"]): DeployObservation {
  return deployObservation({ commit: COMMIT, application });
}

const failedSync = (phase: string, revision: string, where: "syncResult" | "operation") => ({
  status: {
    sync: { status: "OutOfSync", revision: OLD },
    operationState: {
      phase,
      message:
        "one or more objects failed to apply, reason: InferenceEndpoint gemma-4b: admission webhook denied",
      ...(where === "syncResult" ? { syncResult: { revision } } : { operation: { sync: { revision } } }),
    },
  },
});

describe("a failed ArgoCD sync", () => {
  it.each([
    ["Failed", "syncResult"],
    ["Error", "syncResult"],
    ["Failed", "operation"],
  ] as const)(
    "of this commit (%s, revision in %s) fails the synced step at once with ArgoCD's message",
    (phase, where) => {
      const steps = computeDeploySteps(observation(failedSync(phase, COMMIT, where)));
      const failure = terminalFailure(steps);
      expect(failure?.id).toBe("synced");
      expect(failure?.reason).toBe(
        "ArgoCD could not sync c0ffee0: one or more objects failed to apply, reason: InferenceEndpoint gemma-4b: admission webhook denied",
      );
      expect(steps.filter((s) => s.state === "failed")).toHaveLength(1);
    },
  );

  it("of an older revision only explains the wait: not terminal", () => {
    const steps = computeDeploySteps(observation(failedSync("Failed", OLD, "syncResult")));
    expect(terminalFailure(steps)).toBeUndefined();
    const synced = steps.find((s) => s.id === "synced");
    expect(synced?.state).toBe("active");
    expect(synced?.reason).toBe(
      "OutOfSync at 0ld0ld0, waiting for c0ffee0 — one or more objects failed to apply, reason: InferenceEndpoint gemma-4b: admission webhook denied",
    );
  });

  it("still running (ArgoCD retrying) is not terminal either", () => {
    const steps = computeDeploySteps(observation(failedSync("Running", COMMIT, "syncResult")));
    expect(terminalFailure(steps)).toBeUndefined();
    expect(steps.find((s) => s.id === "synced")?.state).toBe("active");
  });
});
