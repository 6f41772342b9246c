import { describe, expect, it } from "vitest";
import { appMessage, assessRollout, formatAppTable, toAppRow } from "../../src/core/gitops/applications.js";

const app = (name: string, sync: string, health: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  status: { sync: { status: sync }, health: { status: health }, ...extra },
});

describe("ArgoCD application status", () => {
  it("is done only when every app is Synced and Healthy and every applied app is seen", () => {
    expect(assessRollout([app("a", "Synced", "Healthy"), app("b", "Synced", "Healthy")]).done).toBe(true);
    expect(assessRollout([app("a", "Synced", "Healthy"), app("b", "OutOfSync", "Progressing")]).done).toBe(
      false,
    );
    const missing = assessRollout([app("a", "Synced", "Healthy")], ["a", "b"]);
    expect(missing.done).toBe(false);
    expect(missing.pending.map((r) => r.app)).toEqual(["b"]);
    expect(assessRollout([]).done).toBe(false);
  });

  it("detects Degraded apps with ArgoCD's reason", () => {
    const state = assessRollout([
      app("litellm", "Synced", "Degraded", {
        health: { status: "Degraded", message: "Deployment exceeded its progress deadline" },
      }),
      app("kuberay", "Synced", "Healthy"),
    ]);
    expect(state.degraded.map((r) => r.app)).toEqual(["litellm"]);
    expect(state.degraded[0]?.message).toBe("Deployment exceeded its progress deadline");
  });

  it("takes the message from health, then conditions, then a failed operation", () => {
    expect(
      appMessage({
        status: {
          conditions: [{ type: "ComparisonError", message: "repo not found" }],
          operationState: { phase: "Failed", message: "one or more objects failed to apply" },
        },
      }),
    ).toBe("repo not found; one or more objects failed to apply");
    expect(
      appMessage({ status: { operationState: { phase: "Running", message: "waiting for hook" } } }),
    ).toBe("waiting for hook");
    expect(toAppRow({ metadata: { name: "x" } })).toEqual({
      app: "x",
      sync: "Unknown",
      health: "Unknown",
      message: "",
    });
  });

  it("renders an aligned table with long messages cut", () => {
    const table = formatAppTable(
      [
        toAppRow(app("a", "Synced", "Healthy")),
        { app: "bb", sync: "OutOfSync", health: "Missing", message: "x".repeat(100) },
      ],
      20,
    );
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^APP\s+SYNC\s+HEALTH\s+MESSAGE$/);
    expect(lines[2]).toContain(`${"x".repeat(19)}…`);
    expect(lines[1]?.indexOf("Synced")).toBe(lines[2]?.indexOf("OutOfSync"));
  });
});
