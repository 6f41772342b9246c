import { CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { eventually, failure, startCluster } from "./helpers.js";

describe("test API server: bearer-token authentication", () => {
  it("answers 401 without the token and serves with it", async () => {
    const { kube, core } = await startCluster({ token: "s3cret" });
    expect((await core.listNamespace({})).items.length).toBeGreaterThan(0);
    const anonymous = new KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: "c", server: kube.url, skipTLSVerify: true }],
      users: [{ name: "u", token: "wrong" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const denied = await failure(anonymous.makeApiClient(CoreV1Api).listNamespace({}));
    expect(denied.code).toBe(401);
    const raw = await fetch(`${kube.url}/version`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const withToken = await fetch(`${kube.url}/version`, { headers: { Authorization: "Bearer s3cret" } });
    expect(withToken.status).toBe(200);
  });
});

describe("test API server: fault injection", () => {
  it("answers the configured share of requests with 429 and a Retry-After header", async () => {
    const { kube, core } = await startCluster();
    kube.faults.set({ errorRate: 0.5, errorCode: 429, retryAfterSeconds: 2 });
    const results: number[] = [];
    for (let i = 0; i < 6; i++) {
      results.push(
        await core.listNamespacedConfigMap({ namespace: "default" }).then(
          () => 200,
          (e: { code: number }) => e.code,
        ),
      );
    }
    expect(results.filter((c) => c === 429)).toHaveLength(3);
    expect(results.filter((c) => c === 200)).toHaveLength(3);
    const raw = await fetch(`${kube.url}/api/v1/namespaces/default/configmaps`);
    const raw2 = raw.status === 429 ? raw : await fetch(`${kube.url}/api/v1/namespaces/default/configmaps`);
    expect(raw2.status).toBe(429);
    expect(raw2.headers.get("retry-after")).toBe("2");
    expect(await raw2.json()).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429 });
    kube.faults.clear();
    expect((await core.listNamespacedConfigMap({ namespace: "default" })).items).toEqual([]);
  });

  it("fails exactly the next N requests with 500 and leaves discovery alone", async () => {
    const { kube, core } = await startCluster();
    kube.faults.failNext(2, 500);
    expect((await fetch(`${kube.url}/api/v1`)).status).toBe(200);
    expect(await failure(core.listNamespace({}))).toMatchObject({
      code: 500,
      body: { reason: "InternalError" },
    });
    expect((await failure(core.listNamespace({}))).code).toBe(500);
    expect((await core.listNamespace({})).items.length).toBe(4);
  });

  it("delays matching requests by the added latency without changing answers", async () => {
    const { core } = await startCluster({ faults: { latencyMs: 800, methods: ["GET"] } });
    const started = performance.now();
    let slowDone = false;
    const slow = core.listNamespace({}).then((list) => {
      slowDone = true;
      return list;
    });
    // A request the fault does not match (POST) is answered while the delayed GET still waits.
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "fast" } },
    });
    expect(slowDone).toBe(false);
    expect((await slow).items.map((n) => n.metadata?.name)).toContain("default");
    // A lower bound only: the delay is the fault itself; timers never fire early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(795);
  });

  it("cuts watch streams after N events", async () => {
    const { kube, kc } = await startCluster();
    kube.faults.set({ watchCutAfterEvents: 2 });
    const seen: string[] = [];
    let ended = false;
    await new Watch(kc).watch(
      "/api/v1/namespaces",
      {},
      (type, obj: { metadata: { name: string } }) => seen.push(`${type} ${obj.metadata.name}`),
      () => {
        ended = true;
      },
    );
    await eventually([0], () => ended, "the cut");
    expect(seen).toHaveLength(2);
  });
});
