import { describe, expect, it } from "vitest";
import { failure, startCluster } from "./helpers.js";

const cm = (name: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default" },
});
const ref = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name });

/** A server whose history (3 events) no longer reaches back to the first object's resourceVersion. */
async function compactedCluster() {
  const cluster = await startCluster({ historySize: 3 });
  const first = cluster.kube.store.create(cm("a"));
  for (let i = 0; i < 5; i++) cluster.kube.store.patch(ref("a"), { data: { n: String(i) } });
  return { ...cluster, oldRv: first.metadata?.resourceVersion ?? "" };
}

describe("test API server: resourceVersion on LIST, as kube-apiserver treats it", () => {
  it("serves a plain LIST with a resourceVersion older than the history (not-older-than), unlike a watch", async () => {
    const { core, kube, oldRv } = await compactedCluster();
    const list = await core.listNamespacedConfigMap({ namespace: "default", resourceVersion: oldRv });
    expect(list.items.map((i) => i.data)).toEqual([{ n: "4" }]);
    expect(list.metadata?.resourceVersion).toBe(kube.store.resourceVersion);
  });

  it("answers resourceVersionMatch=Exact older than the history with 410 Expired", async () => {
    const { core, kube, oldRv } = await compactedCluster();
    const expired = await failure(
      core.listNamespacedConfigMap({
        namespace: "default",
        resourceVersion: oldRv,
        resourceVersionMatch: "Exact",
      }),
    );
    expect(expired).toMatchObject({
      code: 410,
      body: { reason: "Expired", message: "The resourceVersion for the provided list is too old." },
    });
    const current = await core.listNamespacedConfigMap({
      namespace: "default",
      resourceVersion: kube.store.resourceVersion,
      resourceVersionMatch: "Exact",
    });
    expect(current.items).toHaveLength(1);
  });

  it("answers a continue token older than the history with 410 Expired", async () => {
    const { core, kube } = await startCluster({ historySize: 3 });
    for (const n of ["a", "b", "c"]) kube.store.create(cm(n));
    const page = await core.listNamespacedConfigMap({ namespace: "default", limit: 1 });
    const token = page.metadata?._continue;
    expect(token).toBeTruthy();
    // Still within the history: the next page is served.
    expect(
      (await core.listNamespacedConfigMap({ namespace: "default", limit: 1, _continue: token })).items[0]
        ?.metadata?.name,
    ).toBe("b");
    for (let i = 0; i < 5; i++) kube.store.patch(ref("c"), { data: { n: String(i) } });
    const expired = await failure(
      core.listNamespacedConfigMap({ namespace: "default", limit: 1, _continue: token }),
    );
    expect(expired.code).toBe(410);
    expect(expired.body).toMatchObject({ reason: "Expired" });
    expect(String(expired.body.message)).toContain("continue parameter is too old");
  });

  it("answers a resourceVersion the store has not reached with 504 Too large resource version", async () => {
    const { core, kube } = await startCluster();
    const ahead = String(Number(kube.store.resourceVersion) + 100);
    const result = await failure(
      core.listNamespacedConfigMap({ namespace: "default", resourceVersion: ahead }),
    );
    expect(result.code).toBe(504);
    expect(result.body).toMatchObject({
      reason: "Timeout",
      details: { causes: [{ type: "ResourceVersionTooLarge" }] },
    });
  });

  it("rejects invalid list options like the real server's validation", async () => {
    const { core, kube } = await startCluster();
    const noRv = await failure(
      core.listNamespacedConfigMap({ namespace: "default", resourceVersionMatch: "Exact" }),
    );
    expect(noRv.code).toBe(422);
    expect(String(noRv.body.message)).toContain(
      "resourceVersionMatch is forbidden unless resourceVersion is provided",
    );
    const exactZero = await failure(
      core.listNamespacedConfigMap({
        namespace: "default",
        resourceVersion: "0",
        resourceVersionMatch: "Exact",
      }),
    );
    expect(exactZero.code).toBe(422);
    for (const n of ["a", "b"]) kube.store.create(cm(n));
    const token = (await core.listNamespacedConfigMap({ namespace: "default", limit: 1 })).metadata
      ?._continue;
    const both = await failure(
      core.listNamespacedConfigMap({
        namespace: "default",
        limit: 1,
        _continue: token,
        resourceVersion: "1",
      }),
    );
    expect(both).toMatchObject({
      code: 400,
      body: { message: "specifying resource version is not allowed when using continue" },
    });
    const bad = await failure(core.listNamespacedConfigMap({ namespace: "default", resourceVersion: "abc" }));
    expect(bad.code).toBe(400);
  });
});
