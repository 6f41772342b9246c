import { describe, expect, it } from "vitest";
import { CelError, evaluateCel } from "../support/sim/kro/cel.js";
import { parseDurationMinutes, SimClock } from "../support/sim/runtime/clock.js";
import { createRandom } from "../support/sim/runtime/random.js";

describe("simulator runtime", () => {
  it("scales simulated minutes to real time and parses Kubernetes durations", () => {
    const clock = new SimClock(20);
    expect(clock.realMs(60)).toBe(1200);
    expect(parseDurationMinutes("5m", 0)).toBe(5);
    expect(parseDurationMinutes("1h30m", 0)).toBe(90);
    expect(parseDurationMinutes("30s", 0)).toBe(0.5);
    expect(parseDurationMinutes(undefined, 7)).toBe(7);
    expect(parseDurationMinutes("Never", 0)).toBe(Number.POSITIVE_INFINITY);
    expect(() => new SimClock(0)).toThrow(/timeScale/);
    clock.stop();
  });

  it("gives the same random sequence for the same seed and a different one for another", () => {
    const a = createRandom(1);
    const b = createRandom(1);
    const c = createRandom(2);
    const seq = (r: ReturnType<typeof createRandom>) => [r.suffix(), r.hex(8), r.suffix()];
    expect(seq(a)).toEqual(seq(b));
    expect(seq(createRandom(1))).not.toEqual(seq(c));
    expect(createRandom(9).suffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("evaluates the CEL the platform's RGD uses against live objects", () => {
    const rayservice = {
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        activeServiceStatus: { applicationStatuses: { llm: { status: "RUNNING" } } },
      },
    };
    const ready =
      'rayservice.status.?conditions.orValue([]).exists(c, c.type == "Ready" && c.status == "True")';
    expect(evaluateCel(ready, { rayservice })).toBe(true);
    expect(evaluateCel(ready, { rayservice: { status: {} } })).toBe(false);
    expect(
      evaluateCel(
        'rayservice.status.?activeServiceStatus.?applicationStatuses.?llm.?status.orValue("PENDING")',
        { rayservice },
      ),
    ).toBe("RUNNING");
    expect(
      evaluateCel(
        'rayservice.status.?activeServiceStatus.?applicationStatuses.?llm.?status.orValue("PENDING")',
        { rayservice: { status: {} } },
      ),
    ).toBe("PENDING");
    expect(
      evaluateCel("registration.status.?succeeded.orValue(0) > 0", {
        registration: { status: { succeeded: 1 } },
      }),
    ).toBe(true);
    expect(
      evaluateCel("registration.status.?succeeded.orValue(0) > 0", { registration: { status: {} } }),
    ).toBe(false);
    // No status at all yet: an error, which KRO reads as "not ready yet".
    expect(() => evaluateCel("registration.status.?succeeded.orValue(0) > 0", { registration: {} })).toThrow(
      CelError,
    );
    expect(evaluateCel("size(a) == 2 ? 'two' : 'other'", { a: [1, 2] })).toBe("two");
    expect(() => evaluateCel("rayservice.status.conditions", { rayservice: { status: {} } })).toThrow(
      CelError,
    );
  });
});
