/**
 * `aiplat bench` options, checked before anything is sent: the load is exactly what was asked and
 * bounded in count and time, so a typo can never turn into an hour of GPU traffic.
 */
import { parseDuration } from "../clock.js";
import { UsageError } from "../errors.js";
import type { Slo } from "./slo.js";

export const LIMITS = {
  concurrency: 1024,
  ratePerSecond: 2000,
  requestsPerLevel: 100_000,
  durationMs: 60 * 60 * 1000,
  inputTokens: 128_000,
  outputTokens: 32_000,
  levels: 32,
  sweepRates: 10,
} as const;

export const DEFAULT_CONCURRENCY = [1, 4, 16];
export const DEFAULT_REQUESTS = 32;

export interface BenchRawOptions {
  concurrency?: string | undefined;
  rate?: string | undefined;
  sweep?: boolean | undefined;
  inputTokens?: string | undefined;
  outputTokens?: string | undefined;
  requests?: string | undefined;
  duration?: string | undefined;
  sloTtft?: string | undefined;
  sloTpot?: string | undefined;
  targetRps?: string | undefined;
  seed?: string | undefined;
}

export type BenchMode =
  | { kind: "concurrency"; levels: number[] }
  | { kind: "rate"; levels: number[] }
  | { kind: "sweep"; maxConcurrency: number; rates: number };

export interface BenchPlan {
  mode: BenchMode;
  inputTokens: number;
  outputTokens: number;
  /** Per level: stop after this many requests, or this long, whichever comes first. */
  requests?: number | undefined;
  durationMs?: number | undefined;
  slo: Slo;
  targetRps?: number | undefined;
  seed: number;
}

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

function positiveNumber(flag: string, text: string, max: number): number {
  const value = Number(text); // Number() ignores surrounding spaces
  // A blank text is Number("") = 0, refused as not above 0.
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`${flag} must be a number above 0 and at most ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}

function list(flag: string, text: string, parse: (item: string) => number): number[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.length > LIMITS.levels) throw new UsageError(`${flag} takes at most ${LIMITS.levels} levels.`);
  if (items.some((s) => s === "")) throw new UsageError(`${flag} is a comma-separated list, e.g. 1,4,16.`);
  const values = items.map(parse);
  return [...new Set(values)].sort((a, b) => a - b);
}

function duration(flag: string, text: string, maxMs: number): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0 || ms > maxMs) {
    throw new UsageError(
      `${flag} must be a duration from 1s to ${maxMs / 60_000}m (e.g. 30s, 2m), got ${JSON.stringify(text)}.`,
    );
  }
  return ms;
}

function millis(flag: string, text: string): number {
  const plain = /^(\d+(?:\.\d+)?)ms$/.exec(text.trim());
  if (plain) return positiveNumber(flag, plain[1] as string, 600_000);
  return duration(flag, text, 600_000);
}

export function planBench(raw: BenchRawOptions): BenchPlan {
  const modes = [raw.concurrency !== undefined, raw.rate !== undefined, raw.sweep === true].filter(Boolean);
  if (modes.length > 1) throw new UsageError("Choose one of --concurrency, --rate and --sweep.");
  let mode: BenchMode;
  if (raw.rate !== undefined) {
    mode = {
      kind: "rate",
      levels: list("--rate", raw.rate, (s) => positiveNumber("--rate", s, LIMITS.ratePerSecond)),
    };
  } else if (raw.sweep) {
    mode = { kind: "sweep", maxConcurrency: 64, rates: 5 };
  } else {
    const text = raw.concurrency ?? DEFAULT_CONCURRENCY.join(",");
    mode = {
      kind: "concurrency",
      levels: list("--concurrency", text, (s) => wholeNumber("--concurrency", s, LIMITS.concurrency)),
    };
  }
  const requests =
    raw.requests === undefined ? undefined : wholeNumber("--requests", raw.requests, LIMITS.requestsPerLevel);
  const durationMs =
    raw.duration === undefined ? undefined : duration("--duration", raw.duration, LIMITS.durationMs);
  return {
    mode,
    inputTokens:
      raw.inputTokens === undefined
        ? 256
        : wholeNumber("--input-tokens", raw.inputTokens, LIMITS.inputTokens),
    outputTokens:
      raw.outputTokens === undefined
        ? 128
        : wholeNumber("--output-tokens", raw.outputTokens, LIMITS.outputTokens),
    requests: requests ?? (durationMs === undefined ? DEFAULT_REQUESTS : undefined),
    durationMs,
    slo: {
      ttftMs: raw.sloTtft === undefined ? 1000 : millis("--slo-ttft", raw.sloTtft),
      tpotMs: raw.sloTpot === undefined ? undefined : millis("--slo-tpot", raw.sloTpot),
    },
    targetRps:
      raw.targetRps === undefined ? undefined : positiveNumber("--target-rps", raw.targetRps, 1_000_000),
    seed: raw.seed === undefined ? 1 : wholeNumber("--seed", raw.seed, 2 ** 31),
  };
}

/** The most requests the plan can send (the confirmation says it before anything is sent). */
export function maxRequests(plan: BenchPlan): string {
  const levels = plan.mode.kind === "sweep" ? 2 + plan.mode.rates : plan.mode.levels.length;
  const per = plan.requests !== undefined ? `${plan.requests} requests` : "";
  const time = plan.durationMs !== undefined ? `${Math.round(plan.durationMs / 1000)} s` : "";
  return `${levels} level${levels === 1 ? "" : "s"} × at most ${[per, time].filter(Boolean).join(" or ")} each`;
}
