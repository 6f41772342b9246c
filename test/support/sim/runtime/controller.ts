import type { SimClock } from "./clock.js";

/**
 * The work-queue pattern every real controller uses (client-go workqueue): watch events only
 * enqueue a key; reconciles run later, one at a time per controller, never inside the store's
 * synchronous watch callback. A key enqueued while it is being reconciled runs again afterwards.
 */
export interface Activity {
  /** Controllers with queued or running work. */
  busy(): boolean;
  /** Names and queued keys of the busy controllers (for a settle timeout message). */
  describeBusy(): string;
  register(controller: Controller): void;
  /** The live (not stopped) controllers of that name (for the control URL's stop/start). */
  named(name: string): Controller[];
  /** Reconcile failures that kept failing (for tests and the launcher to show). */
  readonly failures: { controller: string; key: string; message: string }[];
}

export function createActivity(): Activity {
  const controllers = new Set<Controller>();
  return {
    busy: () => [...controllers].some((c) => c.busy()),
    describeBusy: () =>
      [...controllers]
        .filter((c) => c.busy())
        .map((c) => `${c.name} [${c.queued().slice(0, 5).join(", ")}]`)
        .join("; "),
    register: (c) => {
      controllers.add(c);
    },
    named: (name) => [...controllers].filter((c) => c.name === name && !c.isStopped),
    failures: [],
  };
}

export type ReconcileFn = (key: string) => Promise<void> | void;

const MAX_RETRIES = 15;

export class Controller {
  private readonly queue = new Set<string>();
  private running = false;
  private scheduled = false;
  private stopped = false;
  /** Paused (the controller's pod is gone): events queue up, nothing runs, settle() ignores it. */
  private paused = false;
  private readonly retries = new Map<string, number>();
  private readonly cancels = new Set<() => void>();
  private readonly stoppers: (() => void)[] = [];

  constructor(
    readonly name: string,
    private readonly clock: SimClock,
    private readonly activity: Activity,
    private readonly reconcile: ReconcileFn,
  ) {
    activity.register(this);
  }

  busy(): boolean {
    return !this.stopped && !this.paused && (this.running || this.queue.size > 0);
  }

  queued(): string[] {
    return [...this.queue];
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether it may act now: not stopped and not paused (timer callbacks check this). */
  get isActive(): boolean {
    return !this.stopped && !this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  /** Back from a pause: everything that happened meanwhile is queued and reconciled now. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule();
  }

  enqueue(key: string): void {
    if (this.stopped) return;
    this.queue.add(key);
    this.schedule();
  }

  /**
   * Reconcile `key` again after `minutes` simulated minutes. Background retries (endless polling)
   * wait at least 50 ms of real time, so that they leave settle() quiet windows on a busy machine.
   */
  enqueueAfter(key: string, minutes: number, background = false): void {
    if (this.stopped) return;
    if (background) minutes = Math.max(minutes, 50 / this.clock.timeScale);
    const cancel = this.clock.after(
      minutes,
      () => {
        this.cancels.delete(cancel);
        this.enqueue(key);
      },
      { background },
    );
    this.cancels.add(cancel);
  }

  /** Something to undo on stop (watch subscriptions, periodic timers). */
  onStop(fn: () => void): void {
    this.stoppers.push(fn);
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    for (const fn of this.stoppers.splice(0)) fn();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running || this.stopped || this.paused) return;
    this.running = true;
    try {
      while (this.queue.size > 0 && !this.stopped && !this.paused) {
        const key = this.queue.values().next().value as string;
        this.queue.delete(key);
        try {
          await this.reconcile(key);
          this.retries.delete(key);
        } catch (error) {
          this.fail(key, error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private fail(key: string, error: unknown): void {
    const attempt = (this.retries.get(key) ?? 0) + 1;
    this.retries.set(key, attempt);
    const message = error instanceof Error ? error.message : String(error);
    if (attempt >= MAX_RETRIES) {
      this.activity.failures.push({ controller: this.name, key, message });
      this.retries.delete(key);
      return;
    }
    // Conflicts and not-yet-there objects clear up quickly; back off a little each time.
    this.enqueueAfter(key, Math.min(0.05 * 2 ** attempt, 2));
  }
}
