/**
 * Turns a live list of rollout steps into io-host tasks (a listr2 tree on a TTY): one task per
 * step, each waiting until its step is done, showing the reason it is not done yet and its elapsed
 * time. Every task reacts to the board's change notifications (fed by watches); a one-second tick
 * only refreshes elapsed times and time-based judgements (an image pull failing for too long).
 */
import { formatElapsed } from "../../core/clock.js";
import type { AiplatError } from "../../core/errors.js";
import type { RolloutStep } from "../../core/rollout/types.js";
import type { TaskSpec } from "../../ui/io-host.js";

export interface StepBoard {
  steps(): RolloutStep[];
  /** Calls `listener` after every observed change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export interface StepRecord {
  id: string;
  title: string;
  state: RolloutStep["state"];
  reason?: string | undefined;
  elapsedMs?: number | undefined;
}

export interface StepTaskOptions {
  now(): number;
  signal: AbortSignal;
  /** Absolute time (now() scale) after which the active step fails with `onTimeout`. */
  deadline: number;
  onTimeout(step: RolloutStep): AiplatError;
  onFailure(step: RolloutStep): AiplatError;
  onInterrupt(step: RolloutStep): AiplatError;
  /** Filled as steps finish, for the result and --json. */
  records: Map<string, StepRecord>;
  tickMs?: number;
}

function waitForStep(
  board: StepBoard,
  id: string,
  options: StepTaskOptions,
  show: (step: RolloutStep) => void,
) {
  return new Promise<RolloutStep>((resolve, reject) => {
    let unsubscribe = () => {};
    const cleanup = () => {
      unsubscribe();
      clearInterval(ticker);
      options.signal.removeEventListener("abort", onAbort);
    };
    const current = () => board.steps().find((s) => s.id === id) as RolloutStep;
    const check = () => {
      if (options.now() >= options.deadline) {
        cleanup();
        reject(options.onTimeout(current()));
        return;
      }
      const steps = board.steps();
      const step = steps.find((s) => s.id === id) as RolloutStep;
      const failed = steps.find((s) => s.state === "failed");
      if (step.state === "done") {
        cleanup();
        resolve(step);
      } else if (failed) {
        cleanup();
        reject(options.onFailure(failed));
      } else {
        show(step);
      }
    };
    const onAbort = () => {
      cleanup();
      reject(options.onInterrupt(current()));
    };
    // The tick refreshes elapsed times and time-based judgements, and enforces the deadline on
    // the command's clock (tests run minutes of simulated time in milliseconds).
    const ticker = setInterval(check, options.tickMs ?? 250);
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener("abort", onAbort, { once: true });
    unsubscribe = board.subscribe(check);
    check();
  });
}

export function stepTasks(board: StepBoard, options: StepTaskOptions): TaskSpec[] {
  return board.steps().map((initial) => ({
    title: initial.title,
    run: async (task) => {
      const started = options.now();
      const elapsed = () => formatElapsed(options.now() - started);
      let lastReason: string | undefined;
      try {
        const step = await waitForStep(board, initial.id, options, (step) => {
          task.setTitle(`${step.title} (${elapsed()})`);
          if (step.reason && step.reason !== lastReason) {
            lastReason = step.reason;
            task.output(step.reason);
          }
        });
        options.records.set(step.id, {
          id: step.id,
          title: step.title,
          state: "done",
          reason: step.reason,
          elapsedMs: options.now() - started,
        });
        task.setTitle(`${step.title}${step.reason ? ` — ${step.reason}` : ""} (${elapsed()})`);
      } catch (error) {
        const step = board.steps().find((s) => s.id === initial.id);
        options.records.set(initial.id, {
          id: initial.id,
          title: initial.title,
          state: step?.state === "failed" ? "failed" : "active",
          reason: step?.reason,
          elapsedMs: options.now() - started,
        });
        throw error;
      }
    },
  }));
}

/** Steps that never started (after a failure) for the result: their last known state. */
export function allRecords(board: StepBoard, records: Map<string, StepRecord>): StepRecord[] {
  return board
    .steps()
    .map((s) => records.get(s.id) ?? { id: s.id, title: s.title, state: s.state, reason: s.reason });
}
