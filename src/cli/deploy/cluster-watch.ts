/**
 * Keeps a live picture of a set of cluster objects through watches (KubeObjects.watch: list, then
 * watch, re-list on 410). A kind the cluster does not serve yet (a CRD KRO has not created, no
 * Karpenter) is reported as empty and retried with backoff, so following never crashes on it.
 */
import type { KubeListOptions, KubeObjects } from "../../adapters/kube/objects.js";
import type { Clock } from "../../core/clock.js";
import { isAiplatError } from "../../core/errors.js";
import type { Outage } from "../../core/rollout/outage.js";

export interface WatchSpec {
  key: string;
  apiVersion: string;
  kind: string;
  opts: KubeListOptions;
}

export interface LiveObjects {
  /** undefined until the first list answered (or failed). */
  get<T>(key: string): T[] | undefined;
  /** The last error of a watch (its kind missing, a broken connection), if any. */
  error(key: string): string | undefined;
  /** Since when the API server cannot be reached at all; undefined once any watch answers again. */
  unreachable(): Outage | undefined;
}

export function startWatches(
  objects: KubeObjects,
  specs: readonly WatchSpec[],
  clock: Clock,
  signal: AbortSignal,
  onChange: () => void,
  debug: (message: string) => void,
): { live: LiveObjects; done: Promise<void> } {
  const sets = new Map<string, unknown[]>();
  const errors = new Map<string, string>();
  let outage: Outage | undefined;
  const run = async (spec: WatchSpec) => {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await objects.watch(
          spec.apiVersion,
          spec.kind,
          spec.opts,
          (items) => {
            failures = 0;
            outage = undefined;
            errors.delete(spec.key);
            sets.set(spec.key, items);
            onChange();
          },
          signal,
        );
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        const message = (error as Error).message;
        debug(`watch ${spec.kind}: ${message}`);
        errors.set(spec.key, message);
        // No connection at all (refused, reset, DNS): the cluster is gone, not this kind.
        if (isAiplatError(error) && error.code === "kube-unreachable") {
          outage ??= { since: clock.now(), error: message };
        }
        if (!sets.has(spec.key)) sets.set(spec.key, []);
        onChange();
        try {
          await clock.sleep(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)), signal);
        } catch {
          return;
        }
      }
    }
  };
  const done = Promise.all(specs.map(run)).then(() => undefined);
  return {
    live: {
      get: <T>(key: string) => sets.get(key) as T[] | undefined,
      error: (key) => errors.get(key),
      unreachable: () => outage,
    },
    done,
  };
}

export function createNotifier(): { notify(): void; subscribe(listener: () => void): () => void } {
  const listeners = new Set<() => void>();
  return {
    notify: () => {
      for (const l of [...listeners]) l();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
