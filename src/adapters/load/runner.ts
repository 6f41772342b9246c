/**
 * Drives one load level. Closed loop: `concurrency` workers, each sending its next request when its
 * previous one ends. Open loop: every request leaves at its scheduled time whatever the server is
 * doing (a late start is recorded against the server, see core/bench/stats.ts). Both stop at the
 * request count or the duration, and at once on abort (what was measured so far is kept).
 */
import { performance } from "node:perf_hooks";
import { syntheticPrompt } from "../../core/bench/prompts.js";
import type { RequestSample } from "../../core/bench/stats.js";
import { type ChatTarget, InFlight, streamChat } from "./chat-stream.js";

export interface LevelShape {
  inputTokens: number;
  outputTokens: number;
  count?: number | undefined;
  durationMs?: number | undefined;
  /** Numbers prompts from here so no two requests of a run share a prefix. */
  promptIndexStart: number;
}

export type LevelProgress = (done: number, failed: number) => void;

function clock(): () => number {
  const start = performance.now();
  return () => performance.now() - start;
}

export async function runClosedLoop(
  target: ChatTarget,
  concurrency: number,
  shape: LevelShape,
  onProgress: LevelProgress,
  signal: AbortSignal,
): Promise<RequestSample[]> {
  const now = clock();
  const inFlight = new InFlight(signal);
  const samples: RequestSample[] = [];
  let issued = 0;
  let failed = 0;
  const more = () =>
    !signal.aborted &&
    (shape.count === undefined || issued < shape.count) &&
    (shape.durationMs === undefined || now() < shape.durationMs);
  const worker = async () => {
    while (more()) {
      const index = shape.promptIndexStart + issued++;
      const prompt = syntheticPrompt(shape.inputTokens, index);
      const at = now();
      const sample = await streamChat(target, prompt, shape.outputTokens, at, now, inFlight);
      if (signal.aborted && sample.error === "interrupted") return;
      samples.push(sample);
      if (!sample.ok) failed += 1;
      onProgress(samples.length, failed);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return samples;
}

/** Waits `ms`, or less when aborted; the abort listener is removed either way (no leak per wait). */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export async function runOpenLoop(
  target: ChatTarget,
  schedule: readonly number[],
  shape: LevelShape,
  onProgress: LevelProgress,
  signal: AbortSignal,
): Promise<RequestSample[]> {
  const now = clock();
  const inFlight = new InFlight(signal);
  const samples: RequestSample[] = [];
  const pending: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < schedule.length && !signal.aborted; i++) {
    const at = schedule[i] as number;
    const wait = at - now();
    if (wait > 1) {
      await sleepUnlessAborted(wait, signal);
      if (signal.aborted) break;
    }
    const prompt = syntheticPrompt(shape.inputTokens, shape.promptIndexStart + i);
    pending.push(
      streamChat(target, prompt, shape.outputTokens, at, now, inFlight).then((sample) => {
        if (signal.aborted && sample.error === "interrupted") return;
        samples.push(sample);
        if (!sample.ok) failed += 1;
        onProgress(samples.length, failed);
      }),
    );
  }
  await Promise.all(pending);
  return samples;
}
