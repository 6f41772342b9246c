import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { addNode, get, list, startSim } from "./support/cluster.js";

/** A Deployment of `replicas` small pods that fit the plain node addNode() makes. */
function web(name: string, replicas = 2, terminationGracePeriodSeconds?: number): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds }),
          containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m" } } }],
        },
      },
    },
  };
}

const pods = (sim: SimulatedCluster, app: string) =>
  list(sim, "v1", "Pod", { namespace: "default", labelSelector: `app=${app}` });
const deployment = (name: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  name,
  namespace: "default",
});

async function running(sim: SimulatedCluster, obj: KubeObject): Promise<void> {
  addNode(sim, "node-a");
  sim.kube.store.create(obj);
  await sim.settle();
}

describe("simulated kube-controller-manager: garbage collection and graceful pod deletion", () => {
  it("deletes an owner's dependents asynchronously, after the owner is gone", async () => {
    const sim = await startSim();
    await running(sim, web("bg"));
    expect(pods(sim, "bg")).toHaveLength(2);
    const { gone } = sim.kube.store.delete(deployment("bg"));
    expect(gone).toBe(true);
    // The garbage collector has not run yet: the pods are still there, not even Terminating.
    expect(pods(sim, "bg").map((p) => p.metadata?.deletionTimestamp)).toEqual([undefined, undefined]);
    await sim.settle();
    expect(pods(sim, "bg")).toEqual([]);
  });

  it("keeps a foreground deletion's owner with the foregroundDeletion finalizer until its dependents are gone", async () => {
    const sim = await startSim();
    await running(sim, web("fg"));
    sim.kube.store.delete(deployment("fg"), { propagationPolicy: "Foreground" });
    const owner = get(sim, "apps/v1", "Deployment", "fg", "default");
    expect(owner?.metadata?.deletionTimestamp).toBeDefined();
    expect(owner?.metadata?.finalizers).toEqual(["foregroundDeletion"]);
    expect(pods(sim, "fg")).toHaveLength(2);
    await sim.settle();
    expect(pods(sim, "fg")).toEqual([]);
    expect(get(sim, "apps/v1", "Deployment", "fg", "default")).toBeUndefined();
  });

  it("lets a running pod's deletion take its terminationGracePeriodSeconds; grace 0 removes it at once", async () => {
    const sim = await startSim();
    await running(sim, web("slow", 2, 120));
    const [first, second] = pods(sim, "slow");
    const seen: { type: string; deleting: boolean; grace?: number }[] = [];
    const stop = sim.kube.store.watch(
      { apiVersion: "v1", kind: "Pod" },
      {
        fieldSelector: `metadata.name=${first?.metadata?.name}`,
        namespace: "default",
        resourceVersion: sim.kube.store.resourceVersion,
      },
      (e) =>
        seen.push({
          type: e.type,
          deleting: Boolean(e.object.metadata?.deletionTimestamp),
          grace: e.object.metadata?.deletionGracePeriodSeconds,
        }),
    );
    const ref = (p: KubeObject | undefined) => ({
      apiVersion: "v1",
      kind: "Pod",
      namespace: "default",
      name: p?.metadata?.name ?? "",
    });
    const result = sim.kube.store.delete(ref(first));
    expect(result.gone).toBe(false);
    expect(result.object.metadata?.deletionGracePeriodSeconds).toBe(120);
    expect(sim.kube.store.delete(ref(second), { gracePeriodSeconds: 0 }).gone).toBe(true);
    await sim.settle();
    stop();
    expect(seen[0]).toEqual({ type: "MODIFIED", deleting: true, grace: 120 });
    expect(seen.at(-1)?.type).toBe("DELETED");
    expect(get(sim, "v1", "Pod", first?.metadata?.name ?? "", "default")).toBeUndefined();
  });
});
