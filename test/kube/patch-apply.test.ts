import { type KubernetesObject, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { failure, startCluster, widget, widgetCrd } from "./helpers.js";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          { name: "app", image: "app:1", env: [{ name: "A", value: "1" }] },
          { name: "sidecar", image: "proxy:1" },
        ],
      },
    },
  },
};

describe("test API server: PATCH", () => {
  it("applies JSON merge patches, removing keys set to null", async () => {
    const { core } = await startCluster();
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "m" }, data: { a: "1", b: "2" } },
    });
    const patched = await core.patchNamespacedConfigMap(
      { name: "m", namespace: "default", body: { data: { a: null, c: "3" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ b: "2", c: "3" });
  });

  it("applies JSON patches and answers 422 when a test operation fails", async () => {
    const { core } = await startCluster();
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "j" }, data: { a: "1" } },
    });
    const patched = await core.patchNamespacedConfigMap(
      {
        name: "j",
        namespace: "default",
        body: [
          { op: "test", path: "/data/a", value: "1" },
          { op: "add", path: "/data/b", value: "2" },
          { op: "remove", path: "/data/a" },
        ],
      },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(patched.data).toEqual({ b: "2" });
    const failed = await failure(
      core.patchNamespacedConfigMap(
        { name: "j", namespace: "default", body: [{ op: "test", path: "/data/b", value: "nope" }] },
        setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
      ),
    );
    expect(failed.code).toBe(422);
  });

  it("merges containers by name in a strategic merge patch", async () => {
    const { apps } = await startCluster();
    await apps.createNamespacedDeployment({ namespace: "default", body: deployment });
    const patched = await apps.patchNamespacedDeployment(
      {
        name: "web",
        namespace: "default",
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: "app", image: "app:2" },
                  { name: "sidecar", $patch: "delete" },
                ],
              },
            },
          },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => [c.name, c.image])).toEqual([["app", "app:2"]]);
    expect(containers[0]?.env).toEqual([{ name: "A", value: "1" }]);
    expect(patched.metadata?.generation).toBe(2);
  });

  it("refuses strategic merge patches on custom resources (415), like the real server", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    kube.store.create(widget("w"));
    const res = await failure(
      custom.patchNamespacedCustomObject(
        {
          group: "example.com",
          version: "v1",
          namespace: "default",
          plural: "widgets",
          name: "w",
          body: { spec: { size: 2 } },
        },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(res).toMatchObject({ code: 415, body: { reason: "UnsupportedMediaType" } });
  });
});

describe("test API server: server-side apply", () => {
  const cm = (data: Record<string, string>): KubernetesObject & { data?: Record<string, string> } => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "owned", namespace: "default" },
    data,
  });

  it("creates on first apply and records the manager in managedFields", async () => {
    const { objects } = await startCluster();
    const created = await objects.patch(
      cm({ a: "1" }),
      undefined,
      undefined,
      "aiplat",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(created.metadata?.uid).toBeDefined();
    const entry = created.metadata?.managedFields?.find((m) => m.manager === "aiplat");
    expect(entry?.operation).toBe("Apply");
    expect(entry?.fieldsV1).toEqual({ "f:data": { "f:a": {} } });
  });

  it("reports a 409 conflict naming the other manager and field, and force takes ownership", async () => {
    const { objects, kube } = await startCluster();
    await objects.patch(cm({ a: "1" }), undefined, undefined, "first", false, PatchStrategy.ServerSideApply);
    const conflict = await failure(
      objects.patch(cm({ a: "2" }), undefined, undefined, "second", false, PatchStrategy.ServerSideApply),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.reason).toBe("Conflict");
    expect(String(conflict.body.message)).toBe(
      'Apply failed with 1 conflict: conflict with "first" using v1: .data.a',
    );
    expect((conflict.body.details as { causes: unknown[] }).causes).toEqual([
      { type: "FieldManagerConflict", message: 'conflict with "first" using v1', field: ".data.a" },
    ]);
    const forced = await objects.patch(
      cm({ a: "2" }),
      undefined,
      undefined,
      "second",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(forced.data).toEqual({ a: "2" });
    const managers = (forced.metadata?.managedFields ?? []).map((m) => m.manager);
    expect(managers).toEqual(["second"]);
    // The previous owner lost the field: its next apply of the old value now conflicts.
    const back = await failure(
      objects.patch(cm({ a: "1" }), undefined, undefined, "first", false, PatchStrategy.ServerSideApply),
    );
    expect(back.code).toBe(409);
    expect(
      kube.store.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "owned" }).data,
    ).toEqual({ a: "2" });
  });

  it("shares ownership of equal values and removes fields a manager stops applying", async () => {
    const { objects } = await startCluster();
    await objects.patch(
      cm({ a: "1", b: "2" }),
      undefined,
      undefined,
      "one",
      false,
      PatchStrategy.ServerSideApply,
    );
    await objects.patch(cm({ a: "1" }), undefined, undefined, "two", false, PatchStrategy.ServerSideApply);
    const dropped = await objects.patch(
      cm({ a: "1" }),
      undefined,
      undefined,
      "one",
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(dropped.data).toEqual({ a: "1" });
    const gone = await objects.patch(
      cm({}),
      undefined,
      undefined,
      "one",
      false,
      PatchStrategy.ServerSideApply,
    );
    // "two" still owns a, so it stays.
    expect(gone.data).toEqual({ a: "1" });
  });

  it("conflicts with fields set by ordinary updates (Update managers)", async () => {
    const { core, objects } = await startCluster();
    await core.createNamespacedConfigMap(
      { namespace: "default", body: { metadata: { name: "owned" }, data: { a: "1" } } },
      setHeaderOptions("User-Agent", "kubectl-edit/v1"),
    );
    const res = await failure(
      objects.patch(cm({ a: "9" }), undefined, undefined, "aiplat", false, PatchStrategy.ServerSideApply),
    );
    expect(res.code).toBe(409);
    expect(String(res.body.message)).toContain('conflict with "kubectl-edit"');
  });

  it("applies to the status subresource without touching spec", async () => {
    const { kube } = await startCluster();
    kube.store.create(widgetCrd);
    kube.store.create(widget("w", 2));
    const status = kube.store.patch(
      { apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "w" },
      {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w", namespace: "default" },
        status: { phase: "Ready" },
        spec: { size: 7 },
      },
      "apply",
      { fieldManager: "controller", subresource: "status" },
    );
    expect(status.status).toEqual({ phase: "Ready" });
    expect((status.spec as { size: number }).size).toBe(2);
  });
});
