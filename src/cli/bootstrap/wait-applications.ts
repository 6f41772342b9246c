import type { KubeObjects } from "../../adapters/kube/objects.js";
import { ExternalError, InterruptedError } from "../../core/errors.js";
import {
  type ApplicationLike,
  assessRollout,
  formatAppTable,
  type RolloutState,
} from "../../core/gitops/applications.js";

export interface WaitOptions {
  namespace: string;
  /** Apps that must exist (those bootstrap applied). */
  expected: readonly string[];
  timeoutMs: number;
  signal: AbortSignal;
  /** Called with every new state (the live table). */
  onUpdate?: (state: RolloutState) => void;
  /** Hint for the timeout and Degraded messages (ArgoCD URL, kubectl command). */
  lookHint: string;
  resume: string;
}

/**
 * Watches Applications (no polling) until every expected one is Synced and Healthy; fails fast when
 * one turns Degraded, with ArgoCD's message; on timeout names the apps still not ready.
 */
export async function waitForApplications(objects: KubeObjects, options: WaitOptions): Promise<RolloutState> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  // A Ctrl-C that came before the wait started must stop it too (abort events do not replay).
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, options.timeoutMs);
  let last: RolloutState | undefined;
  let outcome: "done" | "degraded" | undefined;
  try {
    await objects.watch<ApplicationLike>(
      "argoproj.io/v1alpha1",
      "Application",
      { namespace: options.namespace },
      (apps) => {
        if (outcome) return;
        last = assessRollout(apps, options.expected);
        options.onUpdate?.(last);
        if (last.degraded.length > 0) outcome = "degraded";
        else if (last.done) outcome = "done";
        if (outcome) stop.abort();
      },
      stop.signal,
    );
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
  }
  const state = last ?? assessRollout([], options.expected);
  if (outcome === "done") return state;
  if (outcome === "degraded") {
    const first = state.degraded[0];
    throw new ExternalError(
      `Application ${first?.app} is Degraded: ${first?.message || "ArgoCD gives no message"}\n${formatAppTable(state.rows)}`,
      {
        code: "app-degraded",
        hint: `${options.lookHint}\nFix the cause (usually in platform/ or the app's values), push, then \`${options.resume}\`.`,
        details: { applications: state.rows },
      },
    );
  }
  if (options.signal.aborted && !timedOut) {
    throw new InterruptedError(
      "Stopped waiting for the ArgoCD applications; they keep syncing in the cluster.",
      {
        hint: `Resume watching with \`${options.resume}\`.`,
        details: { applications: state.rows },
      },
    );
  }
  const names = state.pending.map(
    (r) => `${r.app} (${r.sync}/${r.health}${r.message ? `: ${r.message}` : ""})`,
  );
  throw new ExternalError(
    `Timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${state.pending.length} application(s) to be Synced and Healthy: ${names.join(", ")}.\n${formatAppTable(state.rows)}`,
    {
      code: "bootstrap-timeout",
      hint: `${options.lookHint}\nThey keep syncing in the cluster: \`${options.resume} --timeout 30m\` waits longer.`,
      details: { applications: state.rows },
    },
  );
}
