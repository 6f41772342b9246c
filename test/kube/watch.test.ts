import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import { eventually, startCluster } from "./helpers.js";

interface Seen {
  type: string;
  name: string;
  rv: string;
  code?: number;
  annotations?: Record<string, string>;
}

/** Start a client-node watch and collect its events; returns the collected list and the done error. */
async function watchPath(
  kc: KubeConfig,
  path: string,
  params: Record<string, string | boolean | number | undefined> = {},
) {
  const seen: Seen[] = [];
  const done: { ended: boolean; error?: unknown } = { ended: false };
  const controller = await new Watch(kc).watch(
    path,
    params,
    (type, obj: KubeObject & { code?: number }) => {
      seen.push({
        type,
        name: obj.metadata?.name ?? "",
        rv: obj.metadata?.resourceVersion ?? "",
        code: obj.code,
        annotations: obj.metadata?.annotations,
      });
    },
    (error) => {
      done.ended = true;
      done.error = error;
    },
  );
  return { seen, done, controller };
}

const cm = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", labels },
});
const ref = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name });

describe("test API server: watch", () => {
  it("streams ADDED for existing objects, then MODIFIED and DELETED as they happen", async () => {
    const { kube, kc } = await startCluster();
    kube.store.create(cm("before"));
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps");
    await eventually(seen, (s) => s.length === 1, "initial ADDED");
    kube.store.create(cm("after"));
    kube.store.patch(ref("after"), { data: { a: "1" } });
    kube.store.delete(ref("before"));
    await eventually(seen, (s) => s.length === 4, "three live events");
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual([
      "ADDED before",
      "ADDED after",
      "MODIFIED after",
      "DELETED before",
    ]);
    controller.abort();
  });

  it("resumes from a resourceVersion without repeating or missing events", async () => {
    const { kube, kc } = await startCluster();
    const first = kube.store.create(cm("a"));
    kube.store.create(cm("b"));
    kube.store.patch(ref("a"), { data: { x: "1" } });
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps", {
      resourceVersion: first.metadata?.resourceVersion,
    });
    await eventually(seen, (s) => s.length === 2, "replayed events");
    kube.store.delete(ref("b"));
    await eventually(seen, (s) => s.length === 3, "live event after replay");
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED b", "MODIFIED a", "DELETED b"]);
    controller.abort();
  });

  it("answers a resourceVersion older than the kept history with a 410 Expired ERROR event", async () => {
    const { kube, kc } = await startCluster({ historySize: 3 });
    const first = kube.store.create(cm("a"));
    for (let i = 0; i < 5; i++) kube.store.patch(ref("a"), { data: { n: String(i) } });
    const { seen, done } = await watchPath(kc, "/api/v1/namespaces/default/configmaps", {
      resourceVersion: first.metadata?.resourceVersion,
    });
    await eventually(seen, (s) => s.length === 1, "the ERROR event");
    expect(seen[0]).toMatchObject({ type: "ERROR", code: 410 });
    await eventually([done], () => done.ended, "the stream to end");
  });

  it("sends DELETED when an object stops matching the label selector, ADDED when it starts", async () => {
    const { kube, kc } = await startCluster();
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps", {
      labelSelector: "app=web",
    });
    kube.store.create(cm("x", { app: "other" }));
    kube.store.patch(ref("x"), { metadata: { labels: { app: "web" } } });
    kube.store.patch(ref("x"), { metadata: { labels: { app: "db" } } });
    await eventually(seen, (s) => s.length === 2, "enter and leave events");
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED x", "DELETED x"]);
    controller.abort();
  });

  it("watches one object by name with a field selector, as kubectl wait does", async () => {
    const { kube, kc } = await startCluster();
    kube.store.create(cm("one"));
    kube.store.create(cm("two"));
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps", {
      fieldSelector: "metadata.name=two",
    });
    kube.store.patch(ref("one"), { data: { a: "1" } });
    kube.store.patch(ref("two"), { data: { a: "1" } });
    await eventually(seen, (s) => s.length === 2, "events for two");
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED two", "MODIFIED two"]);
    controller.abort();
  });

  it("sends bookmarks carrying the current resourceVersion when allowed", async () => {
    const { kube, kc } = await startCluster({ bookmarkIntervalMs: 20 });
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps", {
      allowWatchBookmarks: true,
      sendInitialEvents: true,
      resourceVersionMatch: "NotOlderThan",
    });
    await eventually(seen, (s) => s.filter((e) => e.type === "BOOKMARK").length >= 2, "bookmarks");
    expect(seen[0]).toMatchObject({ type: "BOOKMARK", annotations: { "k8s.io/initial-events-end": "true" } });
    kube.store.create(cm("late"));
    await eventually(
      seen,
      (s) => s.some((e) => e.type === "BOOKMARK" && Number(e.rv) >= Number(kube.store.resourceVersion)),
      "a bookmark at the new rv",
    );
    controller.abort();
  });

  it("gives in-process watchers the same events as HTTP watchers", async () => {
    const { kube, kc } = await startCluster();
    const local: string[] = [];
    const stop = kube.store.watch({ apiVersion: "v1", kind: "ConfigMap" }, { namespace: "default" }, (e) =>
      local.push(`${e.type} ${e.object.metadata?.name}`),
    );
    const { seen, controller } = await watchPath(kc, "/api/v1/namespaces/default/configmaps");
    kube.store.create(cm("z"));
    kube.store.delete(ref("z"));
    await eventually(seen, (s) => s.length === 2, "HTTP events");
    expect(local).toEqual(seen.map((e) => `${e.type} ${e.name}`));
    stop();
    controller.abort();
  });

  it("ends watches of a custom resource when its CRD is deleted", async () => {
    const { kube, kc } = await startCluster();
    const { widgetCrd, widget } = await import("./helpers.js");
    kube.store.create(widgetCrd);
    kube.store.create(widget("w"));
    const { seen, done } = await watchPath(kc, "/apis/example.com/v1/widgets");
    await eventually(seen, (s) => s.length === 1, "ADDED w");
    kube.store.delete({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "widgets.example.com",
    });
    await eventually([done], () => done.ended, "the watch to end");
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED w", "DELETED w"]);
  });
});
