import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import { failure, startCluster, widget, widgetCrd } from "./helpers.js";

async function getJson(
  url: string,
  accept = "application/json",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers: { Accept: accept } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("test API server: discovery and OpenAPI", () => {
  it("serves /version, /api, /apis and resource lists with namespaced flags, verbs and short names", async () => {
    const { kube } = await startCluster();
    expect((await getJson(`${kube.url}/version`)).body).toMatchObject({ major: "1", minor: "32" });
    expect((await getJson(`${kube.url}/api`)).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const groups = (await getJson(`${kube.url}/apis`)).body.groups as { name: string }[];
    expect(groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(["apps", "batch", "apiextensions.k8s.io"]),
    );
    const core = (await getJson(`${kube.url}/api/v1`)).body.resources as Record<string, unknown>[];
    expect(core.find((r) => r.name === "configmaps")).toMatchObject({
      namespaced: true,
      kind: "ConfigMap",
      shortNames: ["cm"],
    });
    expect(core.find((r) => r.name === "namespaces")).toMatchObject({ namespaced: false });
    expect(core.find((r) => r.name === "pods/portforward")).toMatchObject({ verbs: ["create", "get"] });
    expect(core.find((r) => r.name === "pods/status")).toMatchObject({ kind: "Pod" });
  });

  it("lists every group/version in /openapi/v3 with a PATCH operation that accepts fieldValidation", async () => {
    const { kube } = await startCluster();
    const root = (await getJson(`${kube.url}/openapi/v3`)).body.paths as Record<
      string,
      { serverRelativeURL: string }
    >;
    expect(Object.keys(root)).toEqual(expect.arrayContaining(["api/v1", "apis/apps/v1"]));
    const doc = (await getJson(`${kube.url}${root["api/v1"]!.serverRelativeURL}`)).body;
    const paths = doc.paths as Record<
      string,
      { patch?: { parameters: { name: string; in: string }[]; "x-kubernetes-group-version-kind": unknown } }
    >;
    const patch = paths["/api/v1/namespaces/{namespace}/configmaps/{name}"]?.patch;
    expect(patch?.["x-kubernetes-group-version-kind"]).toEqual({
      group: "",
      version: "v1",
      kind: "ConfigMap",
    });
    expect(patch?.parameters).toContainEqual(
      expect.objectContaining({ name: "fieldValidation", in: "query" }),
    );
  });

  it("answers kubectl's Table request with columns and rows", async () => {
    const { kube } = await startCluster();
    const table = (
      await getJson(
        `${kube.url}/api/v1/namespaces`,
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
      )
    ).body;
    expect(table.kind).toBe("Table");
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual([
      "Name",
      "Status",
      "Age",
    ]);
    expect((table.rows as { cells: unknown[] }[]).map((r) => r.cells.slice(0, 2))).toContainEqual([
      "default",
      "Active",
    ]);
  });
});

describe("test API server: CustomResourceDefinitions", () => {
  it("starts serving a resource when its CRD is created, and reports it Established", async () => {
    const { kube, custom, objects } = await startCluster();
    const before = await getJson(`${kube.url}/apis/example.com/v1`);
    expect(before.status).toBe(404);
    const crd = await objects.create(widgetCrd as KubernetesObject);
    const conditions =
      (crd as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
    expect(conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "True" }));
    const resources = (await getJson(`${kube.url}/apis/example.com/v1`)).body.resources as Record<
      string,
      unknown
    >[];
    expect(resources.map((r) => r.name)).toEqual(["widgets", "widgets/status"]);
    await custom.createNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "default",
      plural: "widgets",
      body: widget("w", 2),
    });
    const list = (await custom.listNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "default",
      plural: "widgets",
    })) as { items: KubeObject[] };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["w"]);
  });

  it("rejects a CRD whose name is not <plural>.<group>", async () => {
    const { objects } = await startCluster();
    const bad = { ...widgetCrd, metadata: { name: "wrong.example.com" } };
    const res = await failure(objects.create(bad as KubernetesObject));
    expect(res.code).toBe(422);
    expect(String(res.body.message)).toContain('must be spec.names.plural+"."+spec.group');
  });

  it("prunes unknown fields, applies defaults and validates against the schema", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    const created = (await custom.createNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "default",
      plural: "widgets",
      body: { ...widget("w", 3), spec: { size: 3, bogus: true, extra: { anything: 1 } }, junk: 1 },
    })) as { spec: Record<string, unknown>; junk?: unknown };
    expect(created.spec).toEqual({ size: 3, color: "blue", extra: { anything: 1 } });
    expect(created.junk).toBeUndefined();
    const invalid = await failure(
      custom.createNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "default",
        plural: "widgets",
        body: { ...widget("bad"), spec: { size: 0, color: "green" } },
      }),
    );
    expect(invalid.code).toBe(422);
    const causes = (invalid.body.details as { causes: { field: string }[] }).causes.map((c) => c.field);
    expect(causes).toEqual(["spec.size", "spec.color"]);
    const missing = await failure(
      custom.createNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "default",
        plural: "widgets",
        body: { ...widget("bad2"), spec: {} },
      }),
    );
    expect(String(missing.body.message)).toContain("spec.size: Required value");
  });

  it("refuses undeclared fields with fieldValidation=Strict (kubectl's default) on create and patch", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    const path = "/apis/example.com/v1/namespaces/default/widgets";
    const strict = await fetch(`${kube.url}${path}?fieldValidation=Strict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...widget("w", 3), spec: { size: 3, bogus: true }, junk: 1 }),
    });
    expect(strict.status).toBe(400);
    expect(await strict.json()).toMatchObject({
      reason: "BadRequest",
      message:
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "junk", unknown field "spec.bogus"',
    });
    kube.store.create(widget("w", 3));
    const patch = await fetch(`${kube.url}${path}/w?fieldValidation=Strict`, {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { sise: 4 } }),
    });
    expect(patch.status).toBe(400);
    // Without Strict (client-node sends none) the field is pruned as before.
    const patched = (await custom.patchNamespacedCustomObject({
      group: "example.com",
      version: "v1",
      namespace: "default",
      plural: "widgets",
      name: "w",
      body: [{ op: "add", path: "/spec/sise", value: 4 }],
    })) as { spec: Record<string, unknown> };
    expect(patched.spec).toEqual({ size: 3, color: "blue" });
  });

  it("requires a resourceVersion on PUT of a custom resource", async () => {
    const { kube, custom } = await startCluster();
    kube.store.create(widgetCrd);
    kube.store.create(widget("w", 2));
    const res = await failure(
      custom.replaceNamespacedCustomObject({
        group: "example.com",
        version: "v1",
        namespace: "default",
        plural: "widgets",
        name: "w",
        body: widget("w", 5),
      }),
    );
    expect(res.code).toBe(422);
    expect(String(res.body.message)).toContain("metadata.resourceVersion");
  });

  it("serves types registered directly by a test", async () => {
    const { kube, custom } = await startCluster();
    const rs = {
      apiVersion: "ray.io/v1",
      kind: "RayService",
      metadata: { name: "rs", namespace: "default" },
      spec: { a: 1 },
    };
    expect(() => kube.store.create(rs)).toThrow('no matches for kind "RayService" in version "ray.io/v1"');
    kube.registerType({
      group: "ray.io",
      version: "v1",
      kind: "RayService",
      plural: "rayservices",
      statusSubresource: true,
    });
    kube.store.create(rs);
    const got = (await custom.getNamespacedCustomObject({
      group: "ray.io",
      version: "v1",
      namespace: "default",
      plural: "rayservices",
      name: "rs",
    })) as KubeObject;
    expect(got.spec).toEqual({ a: 1 });
  });
});
