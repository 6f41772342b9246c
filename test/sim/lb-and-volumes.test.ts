import { describe, expect, it } from "vitest";
import { get, startSim } from "./support/cluster.js";

const lbService = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "webui-public", namespace: "ai-platform" },
  spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80, targetPort: 8080 }] },
};

const ingress = {
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "langfuse", namespace: "ai-platform" },
  spec: {
    ingressClassName: "alb",
    defaultBackend: { service: { name: "langfuse-web", port: { number: 3000 } } },
  },
};

describe("simulated AWS Load Balancer Controller and EBS volumes", () => {
  it("gives a LoadBalancer Service a load balancer behind a finalizer and removes both on delete", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    const svc = get(sim, "v1", "Service", "webui-public", "ai-platform");
    expect(svc?.metadata?.finalizers).toContain("service.k8s.aws/resources");
    const hostname = (svc?.status as { loadBalancer?: { ingress?: { hostname?: string }[] } } | undefined)
      ?.loadBalancer?.ingress?.[0]?.hostname;
    expect(hostname).toMatch(/\.elb\.us-east-1\.amazonaws\.com$/);
    expect(sim.ledger.loadBalancers()).toHaveLength(1);
    expect(sim.ledger.enis().filter((e) => e.attachedTo === sim.ledger.loadBalancers()[0]?.id)).toHaveLength(
      2,
    );

    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "Service",
      name: "webui-public",
      namespace: "ai-platform",
    });
    expect(
      get(sim, "v1", "Service", "webui-public", "ai-platform")?.metadata?.deletionTimestamp,
    ).toBeDefined();
    await sim.settle();
    expect(get(sim, "v1", "Service", "webui-public", "ai-platform")).toBeUndefined();
    expect(sim.ledger.loadBalancers()).toEqual([]);
  });

  it("does the same for an Ingress (an ALB)", async () => {
    const sim = await startSim();
    sim.kube.store.create(ingress);
    await sim.settle();
    expect(sim.ledger.loadBalancers().map((l) => l.type)).toEqual(["application"]);
    sim.kube.store.delete({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      name: "langfuse",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(sim.ledger.loadBalancers()).toEqual([]);
  });

  it("leaves the Service stuck and the load balancer billing when the controller went first", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    await sim.terraform.destroy("30.eks/35.addons");
    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "Service",
      name: "webui-public",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(
      get(sim, "v1", "Service", "webui-public", "ai-platform")?.metadata?.deletionTimestamp,
    ).toBeDefined();
    expect(sim.ledger.loadBalancers()).toHaveLength(1);
  });

  it("keeps a StatefulSet's volume (and its cost) after the StatefulSet is deleted, until the claim goes", async () => {
    const sim = await startSim();
    sim.kube.store.create({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: "ai-platform" },
      spec: {
        replicas: 1,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { containers: [{ name: "db", image: "postgres" }] },
        },
        volumeClaimTemplates: [
          { metadata: { name: "data" }, spec: { resources: { requests: { storage: "100Gi" } } } },
        ],
      },
    });
    await sim.settle();
    const claim = get(sim, "v1", "PersistentVolumeClaim", "data-db-0", "ai-platform");
    expect((claim?.status as { phase?: string } | undefined)?.phase).toBe("Bound");
    const volume = sim.ledger.volumes().find((v) => v.createdBy === "ebs-csi-driver");
    expect(volume?.hourlyPrice).toBeGreaterThan(0);
    sim.kube.store.delete({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      name: "db",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(sim.ledger.volumes().some((v) => v.id === volume?.id)).toBe(true);
    sim.kube.store.delete({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      name: "data-db-0",
      namespace: "ai-platform",
    });
    await sim.settle();
    expect(sim.ledger.volumes().some((v) => v.id === volume?.id)).toBe(false);
  });
});
