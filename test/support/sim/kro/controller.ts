import { renderInstance } from "../../../../src/core/kro/index.js";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  addFinalizer,
  isDeleting,
  type KubeObject,
  keyOf,
  labelsOf,
  patchStatus,
  removeFinalizer,
  type Store,
  splitKey,
  tryDelete,
  tryGet,
  watchKind,
  withCondition,
} from "../runtime/kube.js";
import { allTrue, dependenciesOf, type Env, NotResolvable, resolveDeep } from "./resolve.js";
import { activateRgd, type RgdInfo } from "./rgd.js";

/**
 * KRO (v0.9, the managed EKS capability): RGDs become Active and serve their instance kind; each
 * instance is rendered with the project's own renderer (src/core/kro), and its children are
 * applied in order — a resource whose expressions read another waits until that one is ready
 * (readyWhen) — labelled kro.run/owned, kro.run/instance-name, kro.run/instance-namespace,
 * kro.run/resource-graph-definition-name… (pkg/metadata/labels.go), without ownerReferences.
 * Instance status: state ACTIVE | IN_PROGRESS | ERROR | DELETING, the Ready condition, and the
 * RGD's status fields. A child that vanishes is re-created while the instance exists; deleting the
 * instance deletes the children in reverse order behind the `kro.run/finalizer` finalizer.
 */
const MANAGER = "kro";
const FINALIZER = "kro.run/finalizer";

export class KroController {
  private readonly controller: Controller;
  private readonly rgds = new Map<string, RgdInfo>();
  private readonly watchedKinds = new Set<string>();

  constructor(
    private readonly store: Store,
    clock: SimClock,
    activity: Activity,
  ) {
    this.controller = new Controller("kro", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "kro.run/v1alpha1", "ResourceGraphDefinition", (_t, o) =>
        this.controller.enqueue(`rgd|${o.metadata?.name}`),
      ),
    );
  }

  stop(): void {
    this.controller.stop();
  }

  private watch(apiVersion: string, kind: string, onEvent: (type: string, obj: KubeObject) => void): void {
    const key = `${apiVersion}|${kind}`;
    if (this.watchedKinds.has(key)) return;
    this.watchedKinds.add(key);
    this.controller.onStop(watchKind(this.store, apiVersion, kind, onEvent));
  }

  private reconcile(key: string): void {
    if (key.startsWith("rgd|")) this.reconcileRgd(key.slice(4));
    else {
      const [, kind = "", rest = ""] = key.split("|");
      this.reconcileInstance(kind, rest);
    }
  }

  private reconcileRgd(name: string): void {
    const rgd = tryGet(this.store, { apiVersion: "kro.run/v1alpha1", kind: "ResourceGraphDefinition", name });
    if (!rgd || isDeleting(rgd)) {
      for (const [kind, info] of this.rgds) if (info.name === name) this.rgds.delete(kind);
      return;
    }
    const info = activateRgd(this.store, rgd);
    if (!info) return;
    this.rgds.set(info.kind, info);
    this.watch(info.apiVersion, info.kind, (_t, o) =>
      this.controller.enqueue(`inst|${info.kind}|${keyOf(o)}`),
    );
    for (const r of info.rgd.spec.resources) {
      const t = r.template as { apiVersion?: string; kind?: string } | undefined;
      if (!t?.apiVersion || !t.kind) continue;
      this.watch(t.apiVersion, t.kind, (_type, child) => {
        const labels = labelsOf(child);
        const kind = labels["kro.run/instance-kind"];
        const instance = labels["kro.run/instance-name"];
        if (kind && instance)
          this.controller.enqueue(`inst|${kind}|${labels["kro.run/instance-namespace"]}/${instance}`);
      });
    }
  }

  private reconcileInstance(kind: string, key: string): void {
    const info = this.rgds.get(kind);
    if (!info) return;
    const { namespace, name } = splitKey(key);
    const instance = tryGet(this.store, { apiVersion: info.apiVersion, kind, name, namespace });
    if (!instance) return;
    if (isDeleting(instance)) {
      this.deleteChildren(info, instance);
      return;
    }
    addFinalizer(this.store, instance, FINALIZER, MANAGER);
    let rendered: ReturnType<typeof renderInstance>;
    try {
      rendered = renderInstance(info.rgd, instance);
    } catch (error) {
      this.setStatus(
        instance,
        "ERROR",
        false,
        "ReconcileFailed",
        error instanceof Error ? error.message : String(error),
        {},
      );
      return;
    }
    const ids = info.rgd.spec.resources.map((r) => r.id);
    const env: Env = { schema: instance };
    const ready = new Map<string, boolean>();
    let waitingFor: string | undefined;
    for (const resource of rendered.resources) {
      const template = info.rgd.spec.resources.find((r) => r.id === resource.id)?.template;
      const deps = dependenciesOf(template, ids, resource.id);
      if (deps.some((d) => ready.get(d) !== true)) {
        ready.set(resource.id, false);
        waitingFor ??= `${resource.id} waits for ${deps.filter((d) => ready.get(d) !== true).join(", ")} to be ready`;
        continue;
      }
      if (resource.includeWhen.length > 0 && !allTrue(resource.includeWhen, env)) {
        ready.set(resource.id, true);
        continue;
      }
      let desired: KubeObject;
      try {
        desired = resolveDeep(resource.object, env) as KubeObject;
      } catch (error) {
        if (!(error instanceof NotResolvable)) throw error;
        ready.set(resource.id, false);
        waitingFor ??= `${resource.id}: ${error.message}`;
        continue;
      }
      desired.metadata = {
        ...(desired.metadata ?? {}),
        labels: { ...(desired.metadata?.labels ?? {}), ...this.labels(info, instance) },
      };
      const live = this.store.apply(desired, { fieldManager: MANAGER, force: true });
      env[resource.id] = live;
      const isReady = !isDeleting(live) && allTrue(resource.readyWhen, { ...env, [resource.id]: live });
      ready.set(resource.id, isReady);
      if (!isReady)
        waitingFor ??= `waiting for ${resource.id} (${desired.kind} ${desired.metadata?.name}) to be ready`;
    }
    const allReady = ids.every((id) => ready.get(id) === true);
    const fields: Record<string, unknown> = {};
    for (const [field, expression] of Object.entries(rendered.status)) {
      try {
        fields[field] = resolveDeep(expression, env);
      } catch (error) {
        if (!(error instanceof NotResolvable)) throw error;
      }
    }
    this.setStatus(
      instance,
      allReady ? "ACTIVE" : "IN_PROGRESS",
      allReady,
      allReady ? "AllResourcesReady" : "ResourcesNotReady",
      allReady ? "all resources are ready" : (waitingFor ?? "resources are being reconciled"),
      fields,
    );
  }

  private labels(info: RgdInfo, instance: KubeObject): Record<string, string> {
    const [group = "", version = ""] = info.apiVersion.split("/");
    return {
      "kro.run/owned": "true",
      "kro.run/kro-version": "v0.9.3",
      "kro.run/instance-id": instance.metadata?.uid ?? "",
      "kro.run/instance-name": instance.metadata?.name ?? "",
      "kro.run/instance-namespace": instance.metadata?.namespace ?? "",
      "kro.run/instance-group": group,
      "kro.run/instance-version": version,
      "kro.run/instance-kind": info.kind,
      "kro.run/resource-graph-definition-name": info.name,
      "app.kubernetes.io/managed-by": "kro",
    };
  }

  /** Reverse creation order; each child must be gone before the previous one is deleted. */
  private deleteChildren(info: RgdInfo, instance: KubeObject): void {
    let rendered: ReturnType<typeof renderInstance> | undefined;
    try {
      rendered = renderInstance(info.rgd, instance);
    } catch {
      rendered = undefined;
    }
    this.setStatus(instance, "DELETING", false, "Deleting", "deleting resources in reverse order", {});
    for (const resource of [...(rendered?.resources ?? [])].reverse()) {
      const obj = resource.object as KubeObject;
      const ref = {
        apiVersion: obj.apiVersion ?? "",
        kind: obj.kind ?? "",
        name: obj.metadata?.name ?? "",
        namespace: obj.metadata?.namespace,
      };
      if (ref.name.includes("${")) continue;
      const live = tryGet(this.store, ref);
      if (!live) continue;
      if (!isDeleting(live)) tryDelete(this.store, ref, "Background");
      return;
    }
    removeFinalizer(this.store, instance, FINALIZER, MANAGER);
  }

  private setStatus(
    instance: KubeObject,
    state: string,
    ready: boolean,
    reason: string,
    message: string,
    fields: Record<string, unknown>,
  ): void {
    let conditions = (instance.status as { conditions?: unknown } | undefined)?.conditions;
    conditions = withCondition(conditions, { type: "InstanceManaged", status: "True", reason: "Managed" });
    conditions = withCondition(conditions, {
      type: "GraphResolved",
      status: state === "ERROR" ? "False" : "True",
      reason: state === "ERROR" ? reason : "Resolved",
    });
    conditions = withCondition(conditions, {
      type: "ResourcesReady",
      status: ready ? "True" : "False",
      reason,
      message,
    });
    conditions = withCondition(conditions, {
      type: "Ready",
      status: ready ? "True" : "False",
      reason,
      message,
    });
    patchStatus(this.store, instance, { ...fields, state, conditions }, MANAGER);
  }
}
