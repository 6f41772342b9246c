import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import { condition, deployEndpoint, events, list, startSim } from "./support/cluster.js";

function operatorDeployment(name: string, namespace: string): KubeObject {
  const labels = { "app.kubernetes.io/name": name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: `example.invalid/${name}` }] } },
    },
  };
}

describe("operators the platform installs through ArgoCD", () => {
  it("keeps GPUs off a new node until the gpu-operator runs, without launching more nodes", async () => {
    const sim = await startSim({ operators: "required" });
    sim.kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "gpu-operator" } });
    sim.kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kuberay-system" } });
    sim.kube.store.create(operatorDeployment("kuberay-operator", "kuberay-system"));
    await deployEndpoint(sim, "nogpu");
    await sim.settle();
    const claims = list(sim, "karpenter.sh/v1", "NodeClaim").filter((c) =>
      c.metadata?.name?.startsWith("gpu-inference-"),
    );
    expect(claims).toHaveLength(1);
    expect(condition(claims[0], "Initialized")).toMatchObject({
      status: "False",
      reason: "ExtendedResourcesNotRegistered",
    });
    const worker = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: "ray.io/node-type=worker",
    })[0];
    expect((worker?.status as { phase?: string } | undefined)?.phase).toBe("Pending");
    expect(
      events(sim, "inference", worker?.metadata?.name).some((e) =>
        String(e.message).includes("Insufficient nvidia.com/gpu"),
      ),
    ).toBe(true);

    sim.kube.store.create(operatorDeployment("gpu-operator", "gpu-operator"));
    await sim.settle();
    const running = list(sim, "v1", "Pod", {
      namespace: "inference",
      labelSelector: "ray.io/node-type=worker",
    })[0];
    expect(condition(running, "Ready")?.status).toBe("True");
    expect(
      condition(
        list(sim, "karpenter.sh/v1", "NodeClaim").find((c) => c.metadata?.name === claims[0]?.metadata?.name),
        "Initialized",
      )?.status,
    ).toBe("True");
  });

  it("leaves RayServices untouched until the kuberay-operator runs", async () => {
    const sim = await startSim({ operators: "required" });
    sim.kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kuberay-system" } });
    await deployEndpoint(sim, "early");
    await sim.settle();
    expect(list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" })).toEqual([]);
    sim.kube.store.create(operatorDeployment("kuberay-operator", "kuberay-system"));
    await sim.settle();
    expect(list(sim, "ray.io/v1", "RayCluster", { namespace: "inference" })).toHaveLength(1);
  });
});
