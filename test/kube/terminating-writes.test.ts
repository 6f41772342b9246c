import { describe, expect, it } from "vitest";
import { failure, startCluster, widget, widgetCrd } from "./helpers.js";

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: "widgets.example.com",
};

describe("test API server: writes refused while something is being deleted", () => {
  it("answers 405 to creating a custom resource while its CRD is terminating", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    kube.store.create(widget("keep"));
    // The CRD waits on customresourcecleanup while a widget holds a finalizer.
    kube.store.patch(
      { apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "keep" },
      { metadata: { finalizers: ["example.com/hold"] } },
    );
    kube.store.delete(CRD);
    expect(kube.store.tryGet(CRD)?.metadata?.deletionTimestamp).toBeDefined();
    const refused = await failure(
      custom.createNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "default",
        plural: "widgets",
        body: widget("late"),
      }),
    );
    expect(refused.code).toBe(405);
    expect(refused.body).toMatchObject({
      reason: "MethodNotAllowed",
      message: "create not allowed while custom resource definition is terminating",
    });
  });

  it("answers 422 to adding a finalizer to an object being deleted, and still lets finalizers be removed", async () => {
    const { kube } = await startCluster();
    kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "held", namespace: "default", finalizers: ["example.com/a"] },
    });
    const ref = { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "held" };
    kube.store.delete(ref);
    const live = kube.store.get(ref);
    const response = await fetch(`${kube.url}/api/v1/namespaces/default/configmaps/held`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...live,
        metadata: { ...live.metadata, finalizers: ["example.com/a", "example.com/b"] },
      }),
    });
    const refused = { code: response.status, body: (await response.json()) as Record<string, unknown> };
    expect(refused.code).toBe(422);
    expect(refused.body.message).toBe(
      'ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}',
    );
    kube.store.patch(ref, { metadata: { finalizers: null } });
    expect(kube.store.tryGet(ref)).toBeUndefined();
  });
});
