import { describe, expect, it } from "vitest";
import { addNode, get, startSim } from "./support/cluster.js";

const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim", name: "data", namespace: "default" };
const POD = { apiVersion: "v1", kind: "Pod", name: "db", namespace: "default" };

describe("simulated kube-controller-manager: PVC protection", () => {
  it("keeps a PVC Terminating while a pod mounts it, and lets it (and its volume) go after the pod", async () => {
    const sim = await startSim();
    addNode(sim, "node-a");
    sim.kube.store.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
    });
    sim.kube.store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db", namespace: "default" },
      spec: {
        containers: [{ name: "c", image: "postgres", resources: { requests: { cpu: "100m" } } }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
      },
    });
    await sim.settle();
    expect(get(sim, PVC.apiVersion, PVC.kind, PVC.name, PVC.namespace)?.metadata?.finalizers).toContain(
      "kubernetes.io/pvc-protection",
    );
    const volumesBefore = sim.ledger.volumes().length;

    sim.kube.store.delete(PVC);
    await sim.settle();
    expect(
      get(sim, PVC.apiVersion, PVC.kind, PVC.name, PVC.namespace)?.metadata?.deletionTimestamp,
    ).toBeDefined();
    expect(sim.ledger.volumes()).toHaveLength(volumesBefore);

    sim.kube.store.delete(POD);
    await sim.settle();
    expect(get(sim, PVC.apiVersion, PVC.kind, PVC.name, PVC.namespace)).toBeUndefined();
    expect(sim.ledger.volumes().length).toBeLessThan(volumesBefore);
  });
});
