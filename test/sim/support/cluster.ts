import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../../support/kube/index.js";
import { repoRoot } from "../../support/paths.js";
import {
  type SimulatedCluster,
  type SimulatedClusterOptions,
  startSimulatedCluster,
} from "../../support/sim/index.js";

const running: SimulatedCluster[] = [];

afterEach(async () => {
  for (const sim of running.splice(0)) await sim.stop();
});

/** A simulated cluster stopped after the current test. */
export async function startSim(options: SimulatedClusterOptions = {}): Promise<SimulatedCluster> {
  // One controller at a time: the kuberay and gpu operators count as running.
  const sim = await startSimulatedCluster({ seed: 3, operators: "assumed", ...options });
  running.push(sim);
  return sim;
}

export function rgd(): KubeObject {
  return parseYaml(
    readFileSync(join(repoRoot, "platform", "kro-definitions", "inference-endpoint.yaml"), "utf8"),
  ) as KubeObject;
}

export function endpointObject(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "kro.run/v1alpha1",
    kind: "InferenceEndpoint",
    metadata: { name, namespace: "inference" },
    spec: { model: "google/gemma-3-4b-it", ...spec },
  };
}

/** A LiteLLM Deployment in ai-platform (what the litellm Application syncs), for registration Jobs. */
export function litellmDeployment(): KubeObject {
  const labels = { "app.kubernetes.io/name": "litellm" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "litellm", namespace: "ai-platform", labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: "litellm", image: "ghcr.io/berriai/litellm:stand-in" }] },
      },
    },
  };
}

/** The RGD applied and Active (and LiteLLM running), then one InferenceEndpoint created. */
export async function deployEndpoint(
  sim: SimulatedCluster,
  name: string,
  spec: Record<string, unknown> = {},
): Promise<void> {
  sim.kube.store.apply(litellmDeployment(), { fieldManager: "test", force: true });
  sim.kube.store.apply(rgd(), { fieldManager: "test", force: true });
  await sim.settle();
  sim.kube.store.create(endpointObject(name, spec));
}

export function get(
  sim: SimulatedCluster,
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): KubeObject | undefined {
  return sim.kube.store.tryGet({ apiVersion, kind, name, namespace });
}

export function list(
  sim: SimulatedCluster,
  apiVersion: string,
  kind: string,
  opts: { namespace?: string; labelSelector?: string } = {},
): KubeObject[] {
  return sim.kube.store.list({ apiVersion, kind }, opts);
}

export function condition(
  obj: KubeObject | undefined,
  type: string,
): { status?: string; reason?: string; message?: string } | undefined {
  const conditions =
    (
      obj?.status as
        | { conditions?: { type: string; status?: string; reason?: string; message?: string }[] }
        | undefined
    )?.conditions ?? [];
  return conditions.find((c) => c.type === type);
}

export function events(sim: SimulatedCluster, namespace: string, objectName?: string): KubeObject[] {
  return list(sim, "v1", "Event", { namespace }).filter(
    (e) =>
      objectName === undefined || (e.involvedObject as { name?: string } | undefined)?.name === objectName,
  );
}

/** A Node as a kubelet registers it (for tests that run without Karpenter). */
export function addNode(
  sim: SimulatedCluster,
  name: string,
  opts: {
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
    gpu?: number;
    cpu?: string;
    memory?: string;
  } = {},
): void {
  sim.kube.store.create({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: opts.labels ?? {} },
    spec: { taints: opts.taints ?? [] },
  });
  const allocatable: Record<string, string> = {
    cpu: opts.cpu ?? "8",
    memory: opts.memory ?? "64Gi",
    pods: "110",
  };
  if (opts.gpu) allocatable["nvidia.com/gpu"] = String(opts.gpu);
  sim.kube.store.patch(
    { apiVersion: "v1", kind: "Node", name },
    { status: { capacity: allocatable, allocatable, conditions: [{ type: "Ready", status: "True" }] } },
    "merge",
    { subresource: "status" },
  );
}

export const GPU_NODE = {
  // As a gpu-inference node Karpenter launched carries them; the worker's node affinity needs the family.
  labels: { "workload-type": "gpu-inference", "karpenter.k8s.aws/instance-family": "g5" },
  taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
  gpu: 1,
};

/**
 * The platform's gpu-inference NodePool bounds every drain with a terminationGracePeriod (issue 17);
 * scenes about a pool without one — where a blocked drain waits forever, or where settle() must not
 * jump past that bound — remove it first.
 */
export function withoutGracePeriod(sim: SimulatedCluster): void {
  sim.kube.store.patch(
    { apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" },
    { spec: { template: { spec: { terminationGracePeriod: null } } } },
  );
}
