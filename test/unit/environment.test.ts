import { describe, expect, it } from "vitest";
import { formatElapsed, parseDuration } from "../../src/core/clock.js";
import { resolveEnvironment, validateEnvironmentName } from "../../src/core/environment.js";

describe("environment resolution (flag → AIPLAT_ENV → active → dev)", () => {
  it("prefers the flag over everything", () => {
    expect(resolveEnvironment({ flag: "prod", envVar: "stage", active: "qa" })).toEqual({
      name: "prod",
      source: "--env",
    });
  });
  it("uses AIPLAT_ENV when no flag is given", () => {
    expect(resolveEnvironment({ envVar: "stage", active: "qa" }).name).toBe("stage");
  });
  it("uses the environment recorded by init next", () => {
    expect(resolveEnvironment({ active: "qa" })).toEqual({ name: "qa", source: ".aiplat/active-env" });
  });
  it("falls back to dev", () => {
    expect(resolveEnvironment({})).toEqual({ name: "dev", source: "default" });
  });
  it.each(["Prod", "1dev", "dev-", "a_b", "with space", "x".repeat(21), ""])(
    "rejects %j with exit 2",
    (name) => {
      expect(() => validateEnvironmentName(name, "--env")).toThrowError(
        expect.objectContaining({ exitCode: 2 }),
      );
    },
  );
  it.each(["dev", "prod-eu", "a", "team1"])("accepts %j", (name) => {
    expect(validateEnvironmentName(name, "--env")).toBe(name);
  });
});

describe("durations", () => {
  it.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["2h", 7_200_000],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "5", "1d", "m", "-1m"])("rejects %j", (text) => expect(parseDuration(text)).toBeUndefined());
  it.each([
    [0, "0s"],
    [42_000, "42s"],
    [65_000, "1m 05s"],
    [3_720_000, "1h 02m"],
  ])("formats %d ms as %s", (ms, text) => expect(formatElapsed(ms)).toBe(text));
});
