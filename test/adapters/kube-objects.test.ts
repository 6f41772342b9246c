import { afterEach, describe, expect, it } from "vitest";
import { createKubeObjects, type KubeObject } from "../../src/adapters/kube/objects.js";
import { type KubeServer, startKubeServer } from "../support/kube/index.js";

let kube: KubeServer | undefined;
afterEach(async () => {
  await kube?.stop();
  kube = undefined;
});

async function start() {
  kube = await startKubeServer();
  return { server: kube, objects: createKubeObjects(kube.kubeconfig()) };
}

const cm = (
  name: string,
  data: Record<string, string> = {},
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", labels },
  data,
});

describe("kube objects (shared cluster-access contract)", () => {
  it("applies server-side as field manager aiplat, reads back plain JSON, and get of a missing object is undefined", async () => {
    const { server, objects } = await start();
    const created = await objects.apply<KubeObject>(cm("a", { k: "v" }));
    expect(created.metadata.uid).toBeTruthy();
    const got = await objects.get<KubeObject & { data: Record<string, string> }>(
      "v1",
      "ConfigMap",
      "a",
      "default",
    );
    expect(got?.data).toEqual({ k: "v" });
    expect(typeof got?.metadata.creationTimestamp).toBe("string"); // not a Date: objects stay JSON
    const managers = (server.store.get({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "a",
      namespace: "default",
    }).metadata?.managedFields ?? []) as { manager: string; operation: string }[];
    expect(managers).toContainEqual(expect.objectContaining({ manager: "aiplat", operation: "Apply" }));
    expect(await objects.get("v1", "ConfigMap", "missing", "default")).toBeUndefined();
  });

  it("lists with a label selector, with apiVersion and kind on every item", async () => {
    const { objects } = await start();
    await objects.apply(cm("a", {}, { team: "x" }));
    await objects.apply(cm("b", {}, { team: "y" }));
    const items = await objects.list<KubeObject>("v1", "ConfigMap", {
      namespace: "default",
      labelSelector: "team=x",
    });
    expect(items.map((i) => [i.apiVersion, i.kind, i.metadata.name])).toEqual([["v1", "ConfigMap", "a"]]);
  });

  it("merge-patches, and delete says whether the object was there", async () => {
    const { objects } = await start();
    await objects.apply(cm("a", { k: "v" }));
    const patched = await objects.mergePatch<{ data: Record<string, string> }>(
      "v1",
      "ConfigMap",
      "a",
      "default",
      {
        data: { k2: "v2" },
      },
    );
    expect(patched.data).toEqual({ k: "v", k2: "v2" });
    expect(await objects.delete("v1", "ConfigMap", "a", "default")).toBe(true);
    expect(await objects.delete("v1", "ConfigMap", "a", "default")).toBe(false);
  });

  it("watch reports the initial set, then every change, until aborted", async () => {
    const { server, objects } = await start();
    await objects.apply(cm("a"));
    const seen: { names: string[]; type?: string }[] = [];
    const controller = new AbortController();
    const done = objects.watch<KubeObject>(
      "v1",
      "ConfigMap",
      { namespace: "default" },
      (items, event) => {
        seen.push({ names: items.map((i) => i.metadata.name ?? ""), type: event?.type });
        if (seen.length === 1) server.store.create(cm("b"));
        if (seen.length === 2)
          server.store.delete({ apiVersion: "v1", kind: "ConfigMap", name: "a", namespace: "default" });
        if (seen.length === 3) controller.abort();
      },
      controller.signal,
    );
    await done;
    expect(seen).toEqual([
      { names: ["a"], type: undefined },
      { names: ["a", "b"], type: "ADDED" },
      { names: ["b"], type: "DELETED" },
    ]);
  });

  it("wraps API errors with the Status message, and names the server when it cannot be reached", async () => {
    const { server, objects } = await start();
    const bad = await objects
      .apply({ apiVersion: "v1", kind: "NoSuchKind", metadata: { name: "x" } })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ exitCode: 5, code: "kube-unknown-kind" });
    const invalid = await objects
      .apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_Valid", namespace: "default" } })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ exitCode: 5, code: "kube-api" });
    const url = server.url;
    await server.stop();
    kube = undefined;
    const down = await objects.get("v1", "ConfigMap", "a", "default").catch((e: unknown) => e);
    expect(down).toMatchObject({ exitCode: 5, code: "kube-unreachable" });
    expect((down as Error).message).toContain(url);
    expect((down as { hint: string }).hint).toContain("aiplat doctor");
  });
});

describe("kube objects under faults", () => {
  it("watch re-lists and re-watches when the stream is cut, missing no change", async () => {
    const { server, objects } = await start();
    server.faults.set({ watchCutAfterEvents: 1 });
    const controller = new AbortController();
    let latest: string[] = [];
    const done = objects.watch<KubeObject>(
      "v1",
      "ConfigMap",
      { namespace: "default" },
      (items) => {
        latest = items.map((i) => i.metadata.name ?? "");
        if (latest.length === 3) controller.abort();
      },
      controller.signal,
    );
    for (const name of ["a", "b", "c"]) {
      server.store.create(cm(name));
      await new Promise((r) => setTimeout(r, 30));
    }
    await done;
    expect(latest).toEqual(["a", "b", "c"]);
  });

  it("retries throttled (429) and failing (500) requests", async () => {
    const { server, objects } = await start();
    await objects.apply(cm("a"));
    server.faults.set({ errorRate: 0.5, errorCode: 429, retryAfterSeconds: 0 });
    for (let i = 0; i < 5; i++) expect(await objects.get("v1", "ConfigMap", "a", "default")).toBeDefined();
    server.faults.set({ errorRate: 0.5, errorCode: 500 });
    expect((await objects.list("v1", "ConfigMap", { namespace: "default" })).length).toBe(1);
  });
});
