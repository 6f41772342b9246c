/**
 * Runs the levels a plan asks for, in order, and stops at the first Ctrl-C keeping what was
 * measured. A sweep first measures the synchronous and the throughput rate, then open-loop levels
 * at rates between them (core/bench/sweep.ts).
 */
import type { ChatTarget } from "../../adapters/load/chat-stream.js";
import { type LevelShape, runClosedLoop, runOpenLoop } from "../../adapters/load/runner.js";
import type { BenchPlan } from "../../core/bench/options.js";
import { poissonSchedule } from "../../core/bench/schedule.js";
import { summarise } from "../../core/bench/stats.js";
import { type MeasuredLevel, sweepRates } from "../../core/bench/sweep.js";

export interface LevelReporter {
  /** A level starts: its label and how many requests it will send at most (undefined: by time). */
  start(label: string, total: number | undefined): void;
  progress(done: number, failed: number): void;
  finish(level: MeasuredLevel): void;
}

export interface LevelsResult {
  levels: MeasuredLevel[];
  interrupted: boolean;
}

export async function runLevels(
  target: ChatTarget,
  plan: BenchPlan,
  reporter: LevelReporter,
  signal: AbortSignal,
): Promise<LevelsResult> {
  const levels: MeasuredLevel[] = [];
  let promptIndex = 0;
  const shape = (): LevelShape => ({
    inputTokens: plan.inputTokens,
    outputTokens: plan.outputTokens,
    count: plan.requests,
    durationMs: plan.durationMs,
    promptIndexStart: promptIndex,
  });
  const record = (level: MeasuredLevel) => {
    promptIndex += level.stats.requests;
    if (level.stats.requests > 0) levels.push(level);
    reporter.finish(level);
  };

  const closed = async (concurrency: number, label = `concurrency ${concurrency}`) => {
    reporter.start(label, plan.requests);
    const samples = await runClosedLoop(target, concurrency, shape(), reporter.progress, signal);
    record({ label, mode: "concurrency", load: concurrency, stats: summarise(samples) });
  };
  const open = async (rate: number) => {
    const label = `rate ${rate.toFixed(2)}/s`;
    const schedule = poissonSchedule(
      rate,
      { count: plan.requests, durationMs: plan.durationMs },
      plan.seed + levels.length,
    );
    reporter.start(label, schedule.length);
    const samples = await runOpenLoop(target, schedule, shape(), reporter.progress, signal);
    record({ label, mode: "rate", load: rate, stats: summarise(samples) });
  };

  const mode = plan.mode;
  if (mode.kind === "concurrency") {
    for (const c of mode.levels) if (!signal.aborted) await closed(c);
  } else if (mode.kind === "rate") {
    for (const r of mode.levels) if (!signal.aborted) await open(r);
  } else {
    await closed(1, "synchronous (concurrency 1)");
    if (!signal.aborted) await closed(mode.maxConcurrency, `throughput (concurrency ${mode.maxConcurrency})`);
    const low = levels[0]?.stats.requestsPerSecond ?? 0;
    const high = levels[1]?.stats.requestsPerSecond ?? 0;
    for (const r of sweepRates(low, high, mode.rates)) if (!signal.aborted) await open(r);
  }
  return { levels, interrupted: signal.aborted };
}
