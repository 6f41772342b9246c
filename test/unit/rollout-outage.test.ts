import { describe, expect, it } from "vitest";
import {
  applyOutage,
  DEFAULT_UNREACHABLE_MS,
  type Outage,
  outageExceeded,
} from "../../src/core/rollout/outage.js";
import type { RolloutStep } from "../../src/core/rollout/types.js";

// README: "A cluster that stops answering shows at once on the live line ("cluster unreachable for
// 10s, retrying") and is followed on when it comes back; after --unreachable-timeout (default 2m)
// the command gives up ... naming the connection error".

const steps = (): RolloutStep[] => [
  { id: "pushed", title: "Pushed", state: "done", reason: "a1b2c3d to origin/main" },
  { id: "synced", title: "ArgoCD workloads synced", state: "done", reason: "revision a1b2c3d" },
  { id: "scheduled", title: "Worker pod scheduled", state: "active", reason: "pod w-1 is Pending" },
  { id: "node", title: "GPU node launched", state: "pending", reason: "waiting for Karpenter" },
];
const outage: Outage = { since: 100_000, error: "connect ECONNREFUSED 10.0.0.1:443" };
const LIMIT = 120_000;

describe("a cluster that stops answering while --wait follows it", () => {
  it("gives up after two minutes by default", () => {
    expect(DEFAULT_UNREACHABLE_MS).toBe(120_000);
  });

  it("changes nothing while the cluster answers, or once every step is done", () => {
    const current = steps();
    expect(applyOutage(current, undefined, 500_000, LIMIT)).toEqual(steps());
    const done = steps().map((s) => ({ ...s, state: "done" as const }));
    expect(applyOutage(done, outage, 500_000, LIMIT)).toEqual(done);
  });

  it("shows it on the very first step when that one is not done", () => {
    const first: RolloutStep[] = [
      { id: "pushed", title: "Pushed", state: "active" },
      { id: "synced", title: "ArgoCD workloads synced", state: "pending" },
    ];
    expect(applyOutage(first, outage, 100_000 + 30_000, LIMIT)).toEqual([
      { id: "pushed", title: "Pushed", state: "active", reason: "cluster unreachable for 30s, retrying" },
      { id: "synced", title: "ArgoCD workloads synced", state: "pending" },
    ]);
  });

  it("shows the outage on the first step not done, in 5 s increments, the others untouched", () => {
    const shown = applyOutage(steps(), outage, 100_000 + 12_345, LIMIT);
    expect(shown).toEqual([
      steps()[0],
      steps()[1],
      {
        id: "scheduled",
        title: "Worker pod scheduled",
        state: "active",
        reason: "cluster unreachable for 10s, retrying",
      },
      steps()[3],
    ]);
    expect(applyOutage(steps(), outage, 100_000 + 4_999, LIMIT)[2]?.reason).toBe(
      "cluster unreachable for 0s, retrying",
    );
    expect(applyOutage(steps(), outage, 100_000 + 5_000, LIMIT)[2]?.reason).toBe(
      "cluster unreachable for 5s, retrying",
    );
  });

  it("fails that step with the connection error once the outage lasts the limit, not before", () => {
    const before = applyOutage(steps(), outage, 100_000 + LIMIT - 1, LIMIT)[2];
    expect(before).toMatchObject({ state: "active", reason: "cluster unreachable for 1m 55s, retrying" });
    const at = applyOutage(steps(), outage, 100_000 + LIMIT, LIMIT);
    expect(at[2]).toEqual({
      id: "scheduled",
      title: "Worker pod scheduled",
      state: "failed",
      reason: "cluster unreachable for 2m 00s: connect ECONNREFUSED 10.0.0.1:443",
    });
    expect(at[3]).toEqual(steps()[3]);
  });

  it("knows when the outage, not the cluster, ended the rollout", () => {
    expect(outageExceeded(undefined, 1_000_000, LIMIT)).toBe(false);
    expect(outageExceeded(outage, 100_000 + LIMIT - 1, LIMIT)).toBe(false);
    expect(outageExceeded(outage, 100_000 + LIMIT, LIMIT)).toBe(true);
    expect(outageExceeded(outage, 100_000 + LIMIT + 1, LIMIT)).toBe(true);
  });
});
