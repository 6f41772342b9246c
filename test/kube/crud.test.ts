import { describe, expect, it } from "vitest";
import { failure, startCluster } from "./helpers.js";

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  metadata: { name, labels },
  data,
});

describe("test API server: create, read, update", () => {
  it("creates, reads and lists ConfigMaps with server-set metadata", async () => {
    const { core } = await startCluster();
    const created = await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("app", {}, { k: "v" }),
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const read = await core.readNamespacedConfigMap({ name: "app", namespace: "default" });
    expect(read.data).toEqual({ k: "v" });
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["app"]);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(created.metadata?.resourceVersion),
    );
  });

  it("answers 409 AlreadyExists, 404 NotFound and 422 Invalid with Status bodies", async () => {
    const { core } = await startCluster();
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("dup") });
    const dup = await failure(core.createNamespacedConfigMap({ namespace: "default", body: cm("dup") }));
    expect(dup).toMatchObject({
      code: 409,
      body: { kind: "Status", reason: "AlreadyExists", message: 'configmaps "dup" already exists' },
    });
    const missing = await failure(core.readNamespacedConfigMap({ name: "nope", namespace: "default" }));
    expect(missing).toMatchObject({
      code: 404,
      body: { reason: "NotFound", details: { name: "nope", kind: "configmaps" } },
    });
    const bad = await failure(core.createNamespacedConfigMap({ namespace: "default", body: cm("Bad_Name") }));
    expect(bad.code).toBe(422);
    expect(bad.body.reason).toBe("Invalid");
    expect(String(bad.body.message)).toContain('ConfigMap "Bad_Name" is invalid: metadata.name');
  });

  it("refuses content in a namespace that does not exist", async () => {
    const { core } = await startCluster();
    const res = await failure(core.createNamespacedConfigMap({ namespace: "ghost", body: cm("x") }));
    expect(res).toMatchObject({ code: 404, body: { message: 'namespaces "ghost" not found' } });
  });

  it("generates names from generateName", async () => {
    const { core } = await startCluster();
    const a = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { generateName: "job-" } },
    });
    const b = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { generateName: "job-" } },
    });
    expect(a.metadata?.name).toMatch(/^job-[a-z0-9]{5}$/);
    expect(a.metadata?.name).not.toBe(b.metadata?.name);
  });

  it("rejects a PUT with a stale resourceVersion (409 Conflict) and accepts the current one", async () => {
    const { core } = await startCluster();
    const first = await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("cfg", {}, { n: "1" }),
    });
    const second = await core.replaceNamespacedConfigMap({
      name: "cfg",
      namespace: "default",
      body: { ...first, data: { n: "2" } },
    });
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    const stale = await failure(
      core.replaceNamespacedConfigMap({
        name: "cfg",
        namespace: "default",
        body: { ...first, data: { n: "3" } },
      }),
    );
    expect(stale).toMatchObject({ code: 409, body: { reason: "Conflict" } });
    expect(String(stale.body.message)).toContain("the object has been modified");
    expect((await core.readNamespacedConfigMap({ name: "cfg", namespace: "default" })).data).toEqual({
      n: "2",
    });
  });

  it("does not bump resourceVersion for a write that changes nothing", async () => {
    const { core } = await startCluster();
    const first = await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("same", {}, { a: "1" }),
    });
    const again = await core.replaceNamespacedConfigMap({ name: "same", namespace: "default", body: first });
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it("filters lists by equality and set-based label selectors and by field selectors", async () => {
    const { core } = await startCluster();
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("a", { app: "web", tier: "front" }),
    });
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("b", { app: "api", tier: "back" }),
    });
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("c", { app: "db" }) });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: "default", labelSelector, fieldSelector })).items.map(
        (i) => i.metadata?.name,
      );
    expect(await names("app=web")).toEqual(["a"]);
    expect(await names("app in (web,api)")).toEqual(["a", "b"]);
    expect(await names("app notin (web),tier")).toEqual(["b"]);
    expect(await names("!tier")).toEqual(["c"]);
    expect(await names("app!=db")).toEqual(["a", "b"]);
    expect(await names(undefined, "metadata.name=b")).toEqual(["b"]);
    expect(await names(undefined, "metadata.name!=b,metadata.namespace=default")).toEqual(["a", "c"]);
    const bad = await failure(
      core.listNamespacedConfigMap({ namespace: "default", fieldSelector: "data.x=1" }),
    );
    expect(bad).toMatchObject({
      code: 400,
      body: { reason: "BadRequest", message: "field label not supported: data.x" },
    });
  });

  it("pages lists with limit and continue", async () => {
    const { core } = await startCluster();
    for (const n of ["a", "b", "c", "d", "e"])
      await core.createNamespacedConfigMap({ namespace: "default", body: cm(n) });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: "default", limit: 2, _continue: token });
      seen.push(...page.items.map((i) => i.metadata?.name ?? ""));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(pages).toBe(3);
  });

  it("lists across namespaces and keeps namespaced objects apart", async () => {
    const { core } = await startCluster();
    await core.createNamespace({ body: { metadata: { name: "team" } } });
    await core.createNamespacedConfigMap({ namespace: "team", body: cm("x") });
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("x") });
    const all = await core.listConfigMapForAllNamespaces({});
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      "default/x",
      "team/x",
    ]);
  });

  it("keeps status apart when a status subresource exists and bumps generation on spec changes", async () => {
    const { apps } = await startCluster();
    const body = {
      metadata: { name: "web" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "nginx" }] },
        },
      },
      status: { replicas: 99 },
    };
    const created = await apps.createNamespacedDeployment({ namespace: "default", body });
    expect(created.status?.replicas).toBeUndefined();
    expect(created.metadata?.generation).toBe(1);
    const withStatus = await apps.replaceNamespacedDeploymentStatus({
      name: "web",
      namespace: "default",
      body: { ...created, status: { readyReplicas: 1 }, spec: { ...created.spec!, replicas: 5 } },
    });
    expect(withStatus.status?.readyReplicas).toBe(1);
    expect(withStatus.spec?.replicas).toBe(1);
    expect(withStatus.metadata?.generation).toBe(1);
    const scaled = await apps.replaceNamespacedDeployment({
      name: "web",
      namespace: "default",
      body: { ...withStatus, spec: { ...withStatus.spec!, replicas: 3 }, status: {} },
    });
    expect(scaled.spec?.replicas).toBe(3);
    expect(scaled.status?.readyReplicas).toBe(1);
    expect(scaled.metadata?.generation).toBe(2);
  });

  it("turns Secret stringData into base64 data and defaults the type", async () => {
    const { core } = await startCluster();
    const s = await core.createNamespacedSecret({
      namespace: "default",
      body: { metadata: { name: "tok" }, stringData: { token: "abc" } },
    });
    expect(s.data).toEqual({ token: Buffer.from("abc").toString("base64") });
    expect(s.type).toBe("Opaque");
    expect((s as { stringData?: unknown }).stringData).toBeUndefined();
  });

  it("shares one store between HTTP and in-process writes", async () => {
    const { kube, core } = await startCluster();
    kube.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "inproc", namespace: "default" },
      data: { a: "1" },
    });
    expect((await core.readNamespacedConfigMap({ name: "inproc", namespace: "default" })).data).toEqual({
      a: "1",
    });
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("viahttp") });
    expect(
      kube.store.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "viahttp" }).metadata
        ?.uid,
    ).toBeDefined();
    expect(
      kube.store
        .list({ apiVersion: "v1", kind: "ConfigMap" }, { namespace: "default" })
        .map((o) => o.metadata?.name),
    ).toEqual(["inproc", "viahttp"]);
  });

  it("validates but does not store with dryRun=All", async () => {
    const { core, kube } = await startCluster();
    const dry = await core.createNamespacedConfigMap({
      namespace: "default",
      body: cm("dry"),
      dryRun: "All",
    });
    expect(dry.metadata?.name).toBe("dry");
    expect(
      kube.store.tryGet({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "dry" }),
    ).toBeUndefined();
    expect(
      (
        await failure(
          core.createNamespacedConfigMap({ namespace: "default", body: cm("Bad!"), dryRun: "All" }),
        )
      ).code,
    ).toBe(422);
  });
});
