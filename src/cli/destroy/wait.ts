/**
 * Waiting on evidence: a check re-runs whenever a watched kind changes (Kubernetes watches) and,
 * for AWS evidence, on a short poll of describe calls (AWS has no watch). The progress line says
 * what is awaited and why it is not done yet; the timeout names what to look at. Never a fixed
 * sleep that ends a step: a step ends only when its check says done.
 */
import { formatElapsed } from "../../core/clock.js";
import { ExternalError, InterruptedError } from "../../core/errors.js";
import type { Cluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { runTask } from "../up/progress.js";
import type { KindRef } from "./kinds.js";

export interface CheckResult {
  done: boolean;
  /** Why not done yet: "2 Ray pods terminating (inference/x-head)", "PDB inference/pdb blocks…". */
  waitingFor: string;
}

export interface WaitSpec {
  title: string;
  timeoutMs: number;
  /** What the user should look at when it times out. */
  lookAt: string;
  resume: string;
  check: () => Promise<CheckResult>;
  cluster?: Cluster | undefined;
  kinds?: readonly KindRef[];
  /** Re-check every this many ms as well (AWS evidence); default: only on watch events. */
  pollMs?: number | undefined;
}

/** AWS evidence is polled this often (clock time: tests scale it with the simulated clock). */
export const AWS_POLL_MS = 5_000;

export async function waitUntil(ctx: CommandContext, spec: WaitSpec): Promise<void> {
  await runTask(ctx, spec.title, async (task) => {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    let wake: (() => void) | undefined;
    let dirty = true;
    const poke = () => {
      dirty = true;
      wake?.();
    };
    const watches = (spec.cluster ? (spec.kinds ?? []) : []).map((k) =>
      spec.cluster?.objects.watch(k.apiVersion, k.kind, {}, poke, stop.signal).catch(() => undefined),
    );
    const started = ctx.clock.now();
    let shown = "";
    try {
      for (;;) {
        if (ctx.signal.aborted) throw new InterruptedError(`Stopped while waiting: ${spec.title}.`);
        dirty = false;
        const result = await spec.check();
        if (result.done) {
          task.setTitle(spec.title);
          return;
        }
        if (result.waitingFor !== shown) {
          task.setTitle(`${spec.title} — waiting: ${result.waitingFor}`);
          task.output(result.waitingFor);
          shown = result.waitingFor;
        }
        const left = started + spec.timeoutMs - ctx.clock.now();
        if (left <= 0) {
          throw new ExternalError(
            `Timed out after ${formatElapsed(spec.timeoutMs)}: ${spec.title}. Still waiting: ${result.waitingFor}.`,
            {
              code: "destroy-timeout",
              hint: `Look at ${spec.lookAt}. Then resume with \`${spec.resume}\`.`,
              details: { step: spec.title, waitingFor: result.waitingFor },
            },
          );
        }
        if (dirty) continue;
        // One cancellable wait per round: a watch event or the stop cancels it at once.
        const round = new AbortController();
        const cancel = () => round.abort();
        stop.signal.addEventListener("abort", cancel, { once: true });
        wake = cancel;
        await ctx.clock.sleep(Math.min(left, spec.pollMs ?? left), round.signal).catch(() => undefined);
        stop.signal.removeEventListener("abort", cancel);
        wake = undefined;
      }
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      stop.abort();
      await Promise.all(watches);
    }
  });
}
