import { describe, expect, it } from "vitest";
import {
  type ApplicationLike,
  appMessage,
  assessRollout,
  formatAppTable,
  isAppReady,
  toAppRow,
} from "../../src/core/gitops/applications.js";

const app = (name: string, sync: string, health: string): ApplicationLike => ({
  metadata: { name },
  status: { sync: { status: sync }, health: { status: health } },
});

describe("an ArgoCD Application as a row", () => {
  it("reads name, sync and health, with ? and Unknown for what is missing", () => {
    expect(toAppRow({})).toEqual({ app: "?", sync: "Unknown", health: "Unknown", message: "" });
    expect(toAppRow({ metadata: {}, status: { sync: {}, health: {} } })).toEqual({
      app: "?",
      sync: "Unknown",
      health: "Unknown",
      message: "",
    });
    expect(toAppRow(app("kuberay", "OutOfSync", "Progressing"))).toEqual({
      app: "kuberay",
      sync: "OutOfSync",
      health: "Progressing",
      message: "",
    });
  });

  it("joins health message and every condition message, skipping empty ones", () => {
    expect(
      appMessage({
        status: {
          health: { status: "Degraded", message: "Back-off pulling image" },
          conditions: [{ type: "A" }, { type: "SyncError", message: "hook failed" }, { message: "" }],
          operationState: { phase: "Succeeded", message: "successfully synced" },
        },
      }),
    ).toBe("Back-off pulling image; hook failed");
  });

  it("adds the operation's message when it failed or errored, even after other reasons", () => {
    const withOp = (phase: string): ApplicationLike => ({
      status: { health: { message: "unhealthy" }, operationState: { phase, message: "apply failed" } },
    });
    expect(appMessage(withOp("Failed"))).toBe("unhealthy; apply failed");
    expect(appMessage(withOp("Error"))).toBe("unhealthy; apply failed");
    expect(appMessage(withOp("Running"))).toBe("unhealthy");
    expect(appMessage({ status: { operationState: { phase: "Failed" } } })).toBe("");
    expect(appMessage({})).toBe("");
  });

  it("is ready only when Synced and Healthy", () => {
    expect(isAppReady({ app: "a", sync: "Synced", health: "Healthy", message: "" })).toBe(true);
    expect(isAppReady({ app: "a", sync: "Synced", health: "Progressing", message: "" })).toBe(false);
    expect(isAppReady({ app: "a", sync: "OutOfSync", health: "Healthy", message: "" })).toBe(false);
  });
});

describe("the rollout as bootstrap watches it", () => {
  it("sorts apps by name, adds expected apps not seen yet, and lists what is pending or degraded", () => {
    const state = assessRollout(
      [
        app("litellm", "Synced", "Degraded"),
        app("argo", "Synced", "Healthy"),
        app("kuberay", "OutOfSync", "Healthy"),
      ],
      ["argo", "kro"],
    );
    expect(state.rows).toEqual([
      { app: "argo", sync: "Synced", health: "Healthy", message: "" },
      { app: "kuberay", sync: "OutOfSync", health: "Healthy", message: "" },
      { app: "litellm", sync: "Synced", health: "Degraded", message: "" },
      { app: "kro", sync: "Missing", health: "Missing", message: "" },
    ]);
    expect(state.degraded.map((r) => r.app)).toEqual(["litellm"]);
    expect(state.pending.map((r) => r.app)).toEqual(["kuberay", "litellm", "kro"]);
    expect(state.done).toBe(false);
  });

  it("is done when every expected app is seen ready", () => {
    const state = assessRollout([app("b", "Synced", "Healthy"), app("a", "Synced", "Healthy")], ["a", "b"]);
    expect(state).toEqual({
      rows: [
        { app: "a", sync: "Synced", health: "Healthy", message: "" },
        { app: "b", sync: "Synced", health: "Healthy", message: "" },
      ],
      done: true,
      degraded: [],
      pending: [],
    });
  });

  it("is not done while an expected app has not appeared", () => {
    expect(assessRollout([], ["a"]).done).toBe(false);
    expect(assessRollout([]).rows).toEqual([]);
  });
});

describe("the application table", () => {
  it("aligns the columns to the longest value, with no trailing spaces", () => {
    expect(
      formatAppTable([
        { app: "kuberay-operator", sync: "Synced", health: "Healthy", message: "" },
        { app: "kro", sync: "OutOfSync", health: "Degraded", message: "CRD missing" },
      ]),
    ).toBe(
      [
        "APP               SYNC       HEALTH    MESSAGE",
        "kuberay-operator  Synced     Healthy",
        "kro               OutOfSync  Degraded  CRD missing",
      ].join("\n"),
    );
  });

  it("cuts a message longer than 80 characters to 79 and an ellipsis", () => {
    const exactly80 = "m".repeat(80);
    const row = (message: string) =>
      formatAppTable([{ app: "a", sync: "Synced", health: "Healthy", message }]);
    expect(row(exactly80).split("\n")[1]).toBe(`a    Synced  Healthy  ${exactly80}`);
    expect(row(`${exactly80}n`).split("\n")[1]).toBe(`a    Synced  Healthy  ${"m".repeat(79)}…`);
  });

  it("prints only the header for no apps", () => {
    expect(formatAppTable([])).toBe("APP  SYNC  HEALTH  MESSAGE");
  });
});
