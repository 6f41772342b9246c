/**
 * Scaled time. Every delay of the simulated controllers is written in simulated minutes (as the
 * real controllers' behaviour is documented: "launches in about a minute", "consolidateAfter: 5m")
 * and runs `timeScale` real milliseconds per simulated minute (default 20: an hour takes 1.2 s).
 *
 * Timers are tracked so that `settle()` can tell "a controller will act soon" from "idle":
 * foreground timers (a node launching, a model loading) keep the simulator busy; background ones
 * (periodic git polling) do not.
 */
export interface TimerOptions {
  /** Periodic work that should not keep `settle()` waiting. */
  background?: boolean;
}

export class SimClock {
  private readonly timers = new Map<ReturnType<typeof setTimeout>, boolean>();
  private readonly startReal = Date.now();
  private stopped = false;

  /** Where errors thrown by timer callbacks go (a throwing timer must not crash the test run). */
  onError: (error: unknown) => void = () => undefined;

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0))
      throw new Error(`timeScale must be a positive number of ms per minute (got ${timeScale})`);
  }

  /** Real milliseconds for a number of simulated minutes. */
  realMs(minutes: number): number {
    return Math.max(0, Math.round(minutes * this.timeScale));
  }

  /** Simulated minutes elapsed since the simulator started. */
  elapsedMinutes(): number {
    return (Date.now() - this.startReal) / this.timeScale;
  }

  /** Runs `fn` after `minutes` simulated minutes; returns a cancel function. */
  after(minutes: number, fn: () => void, opts: TimerOptions = {}): () => void {
    if (this.stopped) return () => undefined;
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      if (this.stopped) return;
      try {
        fn();
      } catch (error) {
        this.onError(error);
      }
    }, this.realMs(minutes));
    this.timers.set(handle, opts.background === true);
    return () => {
      clearTimeout(handle);
      this.timers.delete(handle);
    };
  }

  /** Runs `fn` every `minutes` until the returned function is called (always background). */
  every(minutes: number, fn: () => void): () => void {
    let cancel: () => void = () => undefined;
    let active = true;
    const tick = () => {
      if (!active) return;
      fn();
      cancel = this.after(minutes, tick, { background: true });
    };
    cancel = this.after(minutes, tick, { background: true });
    return () => {
      active = false;
      cancel();
    };
  }

  /** Foreground timers still pending. */
  pendingForeground(): number {
    let n = 0;
    for (const background of this.timers.values()) if (!background) n++;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.timers.keys()) clearTimeout(handle);
    this.timers.clear();
  }
}

/** Parses a Go/Kubernetes duration ("30s", "5m", "1h30m", "720h") into simulated minutes. */
export function parseDurationMinutes(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  if (text === "Never") return Number.POSITIVE_INFINITY;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(re)) {
    matched = true;
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === "h" ? n * 60 : unit === "m" ? n : unit === "s" ? n / 60 : n / 60000;
  }
  return matched ? total : fallback;
}
