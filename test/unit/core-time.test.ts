import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatElapsed, parseDuration, systemClock } from "../../src/core/clock.js";
import { MAX_DURATION_MS, MIN_DURATION_MS, parseDurationOption } from "../../src/core/duration-option.js";
import { ExternalError, InterruptedError } from "../../src/core/errors.js";
import { withTimeout } from "../../src/core/timeout.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("the system clock", () => {
  it("reads the wall clock in milliseconds", () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("sleeps for the time asked, without a signal", async () => {
    vi.useFakeTimers();
    let woke = false;
    const sleeping = systemClock.sleep(5000).then(() => {
      woke = true;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it("wakes normally with a signal that is never aborted, and leaves no listener behind", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(1000, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(sleeping).resolves.toBeUndefined();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("refuses to sleep on a signal that is already aborted", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    controller.abort();
    await expect(systemClock.sleep(1000, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
    // Nothing was scheduled: the wait ended before it began.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops sleeping on Ctrl-C, cancels its timer and drops its listener", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    const error = await sleeping.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).message).toBe("Interrupted.");
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("elapsed time for progress lines", () => {
  it.each([
    [-5000, "0s"],
    [999, "0s"],
    [1000, "1s"],
    [59_999, "59s"],
    [60_000, "1m 00s"],
    [61_000, "1m 01s"],
    [605_000, "10m 05s"],
    [3_599_999, "59m 59s"],
    [3_600_000, "1h 00m"],
    [3_659_000, "1h 00m"],
    [3_660_000, "1h 01m"],
    [36_000_000, "10h 00m"],
  ])("shows %d ms as %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

describe("duration grammar", () => {
  it.each([
    ["0s", 0],
    ["1s", 1000],
    ["45m", 2_700_000],
    ["1h2m3s", 3_723_000],
    ["1h30s", 3_630_000],
    ["2m30s", 150_000],
    [" 90s ", 90_000],
    ["120m", 7_200_000],
    ["12h", 43_200_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["   ", "1s2m", "1h 30m", "h", "1.5h", "s", "90", "1x", "a90s", "90sx"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("duration options (--timeout and friends)", () => {
  it("accepts 1s to 24h, both ends included", () => {
    expect(MIN_DURATION_MS).toBe(1000);
    expect(MAX_DURATION_MS).toBe(86_400_000);
    expect(parseDurationOption("--timeout", "1s")).toBe(1000);
    expect(parseDurationOption("--timeout", "24h")).toBe(86_400_000);
    expect(parseDurationOption("--timeout", "15m")).toBe(900_000);
  });

  it.each(["0s", "24h0m1s", "25h", "soon", ""])("refuses %j with the allowed range", (value) => {
    let caught: unknown;
    try {
      parseDurationOption("--capacity-timeout", value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: "invalid-input",
      exitCode: 2,
      message: `--capacity-timeout ${JSON.stringify(value)} is not a duration from 1s to 24h (such as 90s, 15m or 1h30m).`,
    });
  });
});

describe("a deadline for calls that have none", () => {
  it("passes the answer through and cancels its timer", async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve("pong"), 5000, "The API server")).resolves.toBe("pong");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("passes a failure of the call through unchanged", async () => {
    vi.useFakeTimers();
    const failure = new Error("connection refused");
    await expect(withTimeout(Promise.reject(failure), 5000, "The API server")).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fails with an external error naming what did not answer, in whole seconds", async () => {
    vi.useFakeTimers();
    const pending = withTimeout(new Promise<string>(() => {}), 1500, "The API server").catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1499);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(ExternalError);
    expect(error).toMatchObject({
      code: "timeout",
      exitCode: 5,
      message: "The API server did not answer within 2s",
    });
  });
});
