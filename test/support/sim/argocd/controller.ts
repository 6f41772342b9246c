import { parseDurationMinutes, type SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  isDeleting,
  type KubeObject,
  keyOf,
  patchStatus,
  removeFinalizer,
  type Store,
  splitKey,
  tryDelete,
  tryGet,
  tryList,
  watchKind,
} from "../runtime/kube.js";
import { type Comparison, compareApp, refFor } from "./compare.js";
import { nextDeletionBatch, propagationFor, pruneTasks, shouldBeDeleted } from "./deletion.js";
import { type AppSpec, computeDesired, type DesiredState, TRACKING } from "./desired.js";
import { checkDestination, InvalidSpecError } from "./destination.js";
import { forgetRevisions } from "./git-source.js";
import { assessHealth } from "./health.js";

/**
 * The ArgoCD application controller for Applications in the `argocd` namespace: compares the
 * desired state at the branch's current commit with the live objects (status.sync, status.health,
 * status.resources), and — with automated sync — applies it wave by wave (server-side apply),
 * waiting for each wave to be healthy, retrying with the Application's backoff when a kind does
 * not exist yet, pruning what left git (prune), re-applying drift and re-creating deleted objects
 * (selfHeal, after `selfHealMinutes`). Without automated sync nothing is applied. Deleting an
 * Application with `resources-finalizer.argocd.argoproj.io` deletes what it manages first
 * (Delete=false objects stay).
 */
const MANAGER = "argocd-controller";
const FINALIZERS = [
  "resources-finalizer.argocd.argoproj.io",
  "resources-finalizer.argocd.argoproj.io/foreground",
  "resources-finalizer.argocd.argoproj.io/background",
];

export interface ArgoCdOptions {
  pollMinutes: number;
  selfHealMinutes: number;
  /** repoURL → bare repository, for URLs that are not local paths (e.g. a fork's https URL). */
  remotes?: ReadonlyMap<string, string>;
}

interface Operation {
  /** Prune as part of this operation even without automated prune (a manual sync with --prune). */
  prune?: boolean;
  revision: string;
  wave: number;
  retries: number;
  startedAt: string;
}

export class ArgoCdController {
  private readonly controller: Controller;
  private readonly operations = new Map<string, Operation>();
  private readonly lastSynced = new Map<string, string>();
  private readonly watched = new Set<string>();
  private readonly healPending = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly options: ArgoCdOptions,
  ) {
    this.controller = new Controller("argocd", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "argoproj.io/v1alpha1", "Application", (_t, app) =>
        this.controller.enqueue(keyOf(app)),
      ),
    );
    // ArgoCD polls git every 3 minutes; scaled down that can be shorter than one round of
    // reconciles on a loaded machine, so never poll more often than every 250 ms of real time, and
    // skip a poll while the previous round is still running (settle() refreshes explicitly).
    const pollMinutes = Math.max(options.pollMinutes, 250 / clock.timeScale);
    this.controller.onStop(
      clock.every(pollMinutes, () => {
        if (!this.controller.busy()) this.refreshAll();
      }),
    );
  }

  /** A refresh: resolve every Application's revision from git again, then compare. */
  refreshAll(): void {
    forgetRevisions();
    for (const app of tryList(this.store, "argoproj.io/v1alpha1", "Application"))
      this.controller.enqueue(keyOf(app));
  }

  /** Turns automated sync of one Application on or off, the way `argocd app set --sync-policy` does. */
  setAutomated(namespace: string, name: string, on: boolean): void {
    const ref = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", name, namespace };
    this.store.patch(
      ref,
      { spec: { syncPolicy: { automated: on ? { prune: true, selfHeal: true } : null } } },
      "merge",
      {
        fieldManager: "argocd-server",
      },
    );
  }

  stop(): void {
    this.controller.stop();
  }

  private watchManaged(apiVersion: string, kind: string): void {
    const key = `${apiVersion}|${kind}`;
    if (this.watched.has(key)) return;
    try {
      this.controller.onStop(
        watchKind(this.store, apiVersion, kind, (_t, obj) => {
          const id = obj.metadata?.annotations?.[TRACKING];
          if (id) this.controller.enqueue(`argocd/${id.split(":")[0]}`);
        }),
      );
      this.watched.add(key);
    } catch {
      // Kind not served yet: watched once it is applied successfully.
    }
  }

  private async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const app = tryGet(this.store, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      name,
      namespace,
    });
    if (!app) {
      this.operations.delete(key);
      return;
    }
    if (isDeleting(app)) {
      this.cascadeDelete(app);
      return;
    }
    const spec = (app.spec ?? {}) as AppSpec;
    let desired: DesiredState;
    try {
      checkDestination(this.store, name, spec);
      desired = await computeDesired(this.store, name, spec, this.options.remotes ?? new Map());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const type = error instanceof InvalidSpecError ? "InvalidSpecError" : "ComparisonError";
      patchStatus(
        this.store,
        app,
        {
          sync: { status: "Unknown" },
          health: { status: "Unknown" },
          conditions: [{ type, message, lastTransitionTime: now() }],
        },
        MANAGER,
      );
      return;
    }
    for (const d of desired.objects)
      if (!d.missingKind) this.watchManaged(d.object.apiVersion ?? "", d.object.kind ?? "");
    const automated = spec.syncPolicy?.automated;
    const auto = automated !== undefined && automated !== null && automated.enabled !== false;
    let compared = this.compare(name, desired);
    // A requested sync (`argocd app sync`, or `operation` set by a client): ArgoCD takes it over
    // and clears the field.
    const requested = (app as { operation?: { sync?: { prune?: boolean } } }).operation?.sync;
    if (requested && !this.operations.has(key)) {
      this.operations.set(key, {
        revision: desired.revision,
        wave: Number.NEGATIVE_INFINITY,
        retries: 0,
        startedAt: now(),
        prune: requested.prune === true,
      });
      this.store.patch(refFor(app), { operation: null }, "merge", { fieldManager: MANAGER });
    }
    const op = this.operations.get(key);
    if (auto && !op && compared.outOfSync) {
      const newRevision = this.lastSynced.get(key) !== desired.revision;
      if (newRevision)
        this.operations.set(key, {
          revision: desired.revision,
          wave: Number.NEGATIVE_INFINITY,
          retries: 0,
          startedAt: now(),
        });
      else if (automated?.selfHeal && !this.healPending.has(key)) {
        // selfHeal waits a moment before re-syncing (ArgoCD's selfHealTimeout).
        this.healPending.add(key);
        this.clock.after(this.options.selfHealMinutes, () => {
          this.healPending.delete(key);
          // The heal re-reads the Application when it fires: automated sync or selfHeal switched
          // off meanwhile means there is nothing to heal (argo-cd controller/appcontroller.go
          // autoSync reads the current spec on every reconcile).
          const current = tryGet(this.store, refFor(app));
          const policy = (current?.spec as AppSpec | undefined)?.syncPolicy?.automated;
          const stillHealing =
            current && !isDeleting(current) && policy && policy.enabled !== false && policy.selfHeal;
          if (!stillHealing) return;
          if (!this.operations.has(key))
            this.operations.set(key, {
              revision: desired.revision,
              wave: Number.NEGATIVE_INFINITY,
              retries: 0,
              startedAt: now(),
            });
          this.controller.enqueue(key);
        });
      }
    }
    const running = this.operations.get(key);
    let operationState: Record<string, unknown> | undefined;
    if (running) {
      operationState = this.runOperation(
        key,
        app,
        spec,
        desired,
        running,
        (auto && automated?.prune === true) || running.prune === true,
      );
      compared = this.compare(name, desired);
    }
    patchStatus(
      this.store,
      app,
      {
        sync: {
          status: compared.outOfSync ? "OutOfSync" : "Synced",
          revision: desired.revision,
          comparedTo: {
            source: spec.source ?? null,
            sources: spec.sources ?? null,
            destination: spec.destination,
          },
        },
        health: { status: compared.health, message: compared.message ?? null },
        resources: compared.resources,
        conditions: null,
        ...(operationState ? { operationState } : {}),
      },
      MANAGER,
    );
  }

  private compare(app: string, desired: DesiredState): Comparison {
    return compareApp(this.store, desired, this.trackedLive(app));
  }

  /** Live objects carrying this app's tracking annotation, of every kind the app ever applied. */
  private trackedLive(app: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const key of this.watched) {
      const [apiVersion = "", kind = ""] = key.split("|");
      for (const obj of tryList(this.store, apiVersion, kind)) {
        if (obj.metadata?.annotations?.[TRACKING]?.startsWith(`${app}:`)) out.push(obj);
      }
    }
    return out;
  }

  private runOperation(
    key: string,
    app: KubeObject,
    spec: AppSpec,
    desired: DesiredState,
    op: Operation,
    prune: boolean,
  ): Record<string, unknown> {
    const pruneWaves = prune ? pruneTasks(this.trackedLive(app.metadata?.name ?? ""), desired) : new Map();
    const waves = [...new Set([...desired.objects.map((d) => d.wave), ...pruneWaves.keys()])].sort(
      (a, b) => a - b,
    );
    const base = {
      operation: { sync: { revision: op.revision } },
      startedAt: op.startedAt,
      retryCount: op.retries,
    };
    for (const wave of waves) {
      if (wave < op.wave) continue;
      op.wave = wave;
      const items = desired.objects.filter((d) => d.wave === wave);
      for (const item of items) {
        try {
          this.store.apply(item.object, { fieldManager: MANAGER, force: true });
          this.watchManaged(item.object.apiVersion ?? "", item.object.kind ?? "");
        } catch (error) {
          return this.failOperation(
            key,
            spec,
            op,
            base,
            `${item.object.kind} ${item.object.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      // Pruning in this wave (its prune wave, pruneTasks): the next wave waits until they are gone.
      const pruning = (pruneWaves.get(wave) ?? []).map((o: KubeObject) => tryGet(this.store, refFor(o)));
      for (const live of pruning)
        if (live && !isDeleting(live)) tryDelete(this.store, refFor(live), "Foreground");
      const pending = pruning.find((o: KubeObject | undefined) => o && tryGet(this.store, refFor(o)));
      if (pending) {
        this.controller.enqueueAfter(key, 0.5, true);
        return {
          ...base,
          phase: "Running",
          message: `waiting for deletion of ${pending.kind}/${pending.metadata?.name} (wave ${wave})`,
        };
      }
      const unhealthy = items.find((i) => {
        const h = assessHealth(tryGet(this.store, refFor(i.object))).status;
        return h !== "Healthy";
      });
      if (unhealthy) {
        // ArgoCD starts the next wave only when this one is healthy; the watches on the kinds it
        // applied re-enqueue the app when they change.
        return {
          ...base,
          phase: "Running",
          message: `waiting for healthy state of ${unhealthy.object.kind}/${unhealthy.object.metadata?.name} (wave ${wave})`,
        };
      }
    }
    this.operations.delete(key);
    this.lastSynced.set(key, op.revision);
    return {
      ...base,
      phase: "Succeeded",
      message: "successfully synced (all tasks run)",
      finishedAt: now(),
      syncResult: { revision: op.revision },
    };
  }

  private failOperation(
    key: string,
    spec: AppSpec,
    op: Operation,
    base: Record<string, unknown>,
    message: string,
  ): Record<string, unknown> {
    const retry = spec.syncPolicy?.retry;
    const limit = retry?.limit ?? 0;
    if (op.retries < limit || limit < 0) {
      const backoff = retry?.backoff ?? {};
      const first = parseDurationMinutes(backoff.duration, 5 / 60);
      const wait = Math.min(
        first * (backoff.factor ?? 2) ** op.retries,
        parseDurationMinutes(backoff.maxDuration, 3),
      );
      op.retries++;
      this.controller.enqueueAfter(key, wait);
      return {
        ...base,
        phase: "Running",
        retryCount: op.retries,
        message: `${message} (retried ${op.retries} times).`,
      };
    }
    this.operations.delete(key);
    this.lastSynced.set(key, op.revision);
    return {
      ...base,
      phase: "Failed",
      message: `one or more objects failed to apply, reason: ${message}`,
      finishedAt: now(),
    };
  }

  /** finalizeApplicationDeletion: one batch at a time, waiting while anything is Terminating (deletion.ts). */
  private cascadeDelete(app: KubeObject): void {
    const finalizer = (app.metadata?.finalizers ?? []).find((f) => FINALIZERS.includes(f));
    if (!finalizer) return;
    const live = this.trackedLive(app.metadata?.name ?? "");
    // Deletions finishing arrive as watch events on the managed kinds; the timer is a fallback
    // that must not keep settle() busy while something stays Terminating forever.
    if (live.some((o) => isDeleting(o))) {
      this.controller.enqueueAfter(keyOf(app), 0.5, true);
      return;
    }
    const candidates = live.filter(shouldBeDeleted);
    if (candidates.length === 0) {
      removeFinalizer(this.store, app, finalizer, MANAGER);
      return;
    }
    for (const obj of nextDeletionBatch(candidates))
      tryDelete(this.store, refFor(obj), propagationFor(finalizer));
    this.controller.enqueue(keyOf(app));
  }
}

const now = (): string => `${new Date().toISOString().slice(0, 19)}Z`;
