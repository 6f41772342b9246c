import { describe, expect, it } from "vitest";
import type { KubeObject, Store } from "../support/kube/index.js";
import { failure, startCluster } from "./helpers.js";

/** A Running pod, Ready or not, labelled app=web (what a Deployment's pods look like to eviction). */
function runningPod(name: string, ready = true): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: "web" } },
    spec: { containers: [{ name: "c", image: "busybox" }] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
    },
  };
}

function pdb(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: "default" },
    spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  };
}

const podRef = (name: string) => ({ apiVersion: "v1", kind: "Pod", namespace: "default", name });

/** Creates the pod, then writes its status as a kubelet would (create resets status). */
function addPod(kube: { store: Store }, pod: KubeObject): void {
  kube.store.create(pod);
  kube.store.patch(podRef(pod.metadata?.name ?? ""), { status: pod.status }, "merge", {
    subresource: "status",
  });
}

describe("test API server: the pods/eviction subresource (policy/v1)", () => {
  it("evicts through the client library while the budget allows, then answers 429 with the real message", async () => {
    const { core, kube } = await startCluster();
    for (const name of ["a", "b"]) addPod(kube, runningPod(name));
    kube.store.create(pdb("web", { minAvailable: 1 }));
    const evict = (name: string) =>
      core.createNamespacedPodEviction({
        name,
        namespace: "default",
        body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: "default" } },
      });
    await evict("a");
    expect(kube.store.tryGet(podRef("a"))).toBeUndefined();
    const refused = await failure(evict("b"));
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({
      reason: "TooManyRequests",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            type: "DisruptionBudget",
            message: "The disruption budget web needs 1 healthy pods and has 1 currently",
          },
        ],
      },
    });
    expect(kube.store.tryGet(podRef("b"))).toBeDefined();
  });

  it("ignores budgets for Pending pods, lets an unready pod go while the budget is healthy, refuses two budgets", async () => {
    const { kube } = await startCluster();
    addPod(kube, { ...runningPod("pending"), status: { phase: "Pending" } });
    addPod(kube, runningPod("ready"));
    addPod(kube, runningPod("unready", false));
    kube.store.create(pdb("web", { maxUnavailable: 0 }));
    kube.store.evict({ namespace: "default", name: "pending" });
    expect(kube.store.tryGet(podRef("pending"))).toBeUndefined();
    // maxUnavailable 0 of 2 pods: 2 healthy wanted, 1 there — the budget is unhealthy, so even the
    // unready pod stays (IfHealthyBudget); AlwaysAllow lets it go.
    expect(() => kube.store.evict({ namespace: "default", name: "unready" })).toThrow(/disruption budget/);
    kube.store.patch(
      { apiVersion: "policy/v1", kind: "PodDisruptionBudget", namespace: "default", name: "web" },
      { spec: { unhealthyPodEvictionPolicy: "AlwaysAllow" } },
    );
    kube.store.evict({ namespace: "default", name: "unready" });
    expect(kube.store.tryGet(podRef("unready"))).toBeUndefined();
    kube.store.create(pdb("second", { maxUnavailable: 1 }));
    expect(() => kube.store.evict({ namespace: "default", name: "ready" })).toThrow(
      /more than one PodDisruptionBudget/,
    );
  });

  it("answers 409 when the uid precondition names another pod, 404 for a missing one, and lists pods/eviction in discovery", async () => {
    const { kube } = await startCluster();
    addPod(kube, runningPod("a"));
    const post = (name: string, body: unknown) =>
      fetch(`${kube.url}/api/v1/namespaces/default/pods/${name}/eviction`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const stale = await post("a", { deleteOptions: { preconditions: { uid: "not-this-one" } } });
    expect(stale.status).toBe(409);
    expect((await post("missing", {})).status).toBe(404);
    const ok = await post("a", {});
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ kind: "Status", status: "Success" });
    const discovery = (await (await fetch(`${kube.url}/api/v1`)).json()) as {
      resources: { name: string; kind: string; group?: string }[];
    };
    expect(discovery.resources.find((r) => r.name === "pods/eviction")).toMatchObject({
      kind: "Eviction",
      group: "policy",
    });
  });
});
