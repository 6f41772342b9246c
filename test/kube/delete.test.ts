import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import { failure, startCluster, widget, widgetCrd } from "./helpers.js";

const cmRef = (name: string, namespace = "default") => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace,
  name,
});

describe("test API server: deletion", () => {
  it("keeps an object with finalizers until the last one is removed", async () => {
    const { core, kube } = await startCluster();
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "f", finalizers: ["a.example.com/x", "b.example.com/y"] } },
    });
    await core.deleteNamespacedConfigMap({ name: "f", namespace: "default" });
    const pending = await core.readNamespacedConfigMap({ name: "f", namespace: "default" });
    expect(pending.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await core.patchNamespacedConfigMap(
      { name: "f", namespace: "default", body: { metadata: { finalizers: ["b.example.com/y"] } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(kube.store.tryGet(cmRef("f"))).toBeDefined();
    await core.patchNamespacedConfigMap(
      { name: "f", namespace: "default", body: { metadata: { finalizers: null } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(kube.store.tryGet(cmRef("f"))).toBeUndefined();
    expect((await failure(core.readNamespacedConfigMap({ name: "f", namespace: "default" }))).code).toBe(404);
  });

  it("answers 200 for a deletion a finalizer holds up, 202 only when cascading was asked with orphanDependents=false", async () => {
    const { kube } = await startCluster();
    const base = `${kube.url}/api/v1/namespaces/default/configmaps`;
    for (const name of ["held", "cascade"])
      kube.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "default", finalizers: ["example.com/hold"] },
      });
    const held = await fetch(`${base}/held`, { method: "DELETE" });
    expect(held.status).toBe(200);
    expect(((await held.json()) as KubeObject).metadata?.deletionTimestamp).toBeTruthy();
    const cascade = await fetch(`${base}/cascade`, {
      method: "DELETE",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", orphanDependents: false }),
    });
    expect(cascade.status).toBe(202);
  });

  it("keeps deletionTimestamp when an update tries to clear it", async () => {
    const { kube } = await startCluster();
    kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "k", namespace: "default", finalizers: ["x/y"] },
    });
    kube.store.delete(cmRef("k"));
    const current = kube.store.get(cmRef("k"));
    const updated = kube.store.update({
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: undefined },
      data: { a: "1" },
    });
    expect(updated.metadata?.deletionTimestamp).toBe(current.metadata?.deletionTimestamp);
  });

  const owner = (kube: Awaited<ReturnType<typeof startCluster>>["kube"]) => {
    const parent = kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "parent", namespace: "default" },
    });
    const ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "parent",
      uid: parent.metadata!.uid!,
      blockOwnerDeletion: true,
    };
    kube.store.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "child", namespace: "default", ownerReferences: [ref] },
    });
    kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "child2", namespace: "default", ownerReferences: [ref], finalizers: ["hold/on"] },
    });
    return ref;
  };
  const secretRef = { apiVersion: "v1", kind: "Secret", namespace: "default", name: "child" };

  it("deletes owned objects in the background by default", async () => {
    const { kube, core } = await startCluster();
    owner(kube);
    await core.deleteNamespacedConfigMap({ name: "parent", namespace: "default" });
    expect(kube.store.tryGet(cmRef("parent"))).toBeUndefined();
    expect(kube.store.tryGet(secretRef)).toBeUndefined();
    expect(kube.store.get(cmRef("child2")).metadata?.deletionTimestamp).toBeDefined();
  });

  it("waits for dependents with Foreground propagation", async () => {
    const { kube, core } = await startCluster();
    owner(kube);
    await core.deleteNamespacedConfigMap({
      name: "parent",
      namespace: "default",
      propagationPolicy: "Foreground",
    });
    const parent = kube.store.get(cmRef("parent"));
    expect(parent.metadata?.finalizers).toContain("foregroundDeletion");
    expect(kube.store.tryGet(secretRef)).toBeUndefined();
    kube.store.patch(cmRef("child2"), { metadata: { finalizers: null } });
    expect(kube.store.tryGet(cmRef("child2"))).toBeUndefined();
    expect(kube.store.tryGet(cmRef("parent"))).toBeUndefined();
  });

  it("leaves dependents without their owner reference with Orphan propagation", async () => {
    const { kube, core } = await startCluster();
    owner(kube);
    await core.deleteNamespacedConfigMap({
      name: "parent",
      namespace: "default",
      propagationPolicy: "Orphan",
    });
    expect(kube.store.tryGet(cmRef("parent"))).toBeUndefined();
    expect(kube.store.get(secretRef).metadata?.ownerReferences).toBeUndefined();
  });

  it("keeps a namespace Terminating until its content is gone, and refuses new content meanwhile", async () => {
    const { kube, core } = await startCluster();
    await core.createNamespace({ body: { metadata: { name: "team" } } });
    kube.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "team" } });
    kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "b", namespace: "team", finalizers: ["x/y"] },
    });
    await core.deleteNamespace({ name: "team" });
    const ns = await core.readNamespace({ name: "team" });
    expect(ns.status?.phase).toBe("Terminating");
    expect(kube.store.tryGet(cmRef("a", "team"))).toBeUndefined();
    const refused = await failure(
      core.createNamespacedConfigMap({ namespace: "team", body: { metadata: { name: "late" } } }),
    );
    expect(refused).toMatchObject({ code: 403, body: { reason: "Forbidden" } });
    kube.store.patch(cmRef("b", "team"), { metadata: { finalizers: null } });
    expect((await failure(core.readNamespace({ name: "team" }))).code).toBe(404);
  });

  it("removes a CRD's custom resources with it and stops serving them", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    kube.store.create(widget("w1"));
    kube.store.create({
      ...widget("w2"),
      metadata: { name: "w2", namespace: "default", finalizers: ["widgets/cleanup"] },
    } as KubeObject);
    kube.store.delete({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "widgets.example.com",
    });
    const list = (await custom.listNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "default",
      plural: "widgets",
    })) as { items: KubeObject[] };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["w2"]);
    kube.store.patch(
      { apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "w2" },
      { metadata: { finalizers: null } },
    );
    const gone = await failure(
      custom.listNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "default",
        plural: "widgets",
      }),
    );
    expect(gone.code).toBe(404);
    expect(kube.registry.find("example.com", "v1", "widgets")).toBeUndefined();
  });

  it("deletes the matching part of a collection", async () => {
    const { kube, core } = await startCluster();
    for (const [name, app] of [
      ["a", "web"],
      ["b", "web"],
      ["c", "db"],
    ] as const) {
      kube.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "default", labels: { app } },
      });
    }
    await core.deleteCollectionNamespacedConfigMap({ namespace: "default", labelSelector: "app=web" });
    expect(
      kube.store
        .list({ apiVersion: "v1", kind: "ConfigMap" }, { namespace: "default" })
        .map((o) => o.metadata?.name),
    ).toEqual(["c"]);
  });
});
