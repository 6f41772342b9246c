/**
 * A test API server holding a platform of any size — N endpoints (InferenceEndpoint, its
 * RayService with KubeRay's status, a head and a worker pod), M GPU nodes, the six Applications,
 * the LiteLLM Secret and a LiteLLM pod forwarded to the LiteLLM stand-in — written straight into
 * the store, for counting the requests `aiplat status` makes (the API-call bound) and for the
 * status benchmark. Not the simulator: no controller runs, so 200 endpoints cost nothing to set up.
 * The simulator's AWS face answers EKS for the cluster (us-east-1, with its three capabilities):
 * `awsEnv` points a child process's SDK at it.
 */
import type { KubeObject, KubeServer, Store } from "../support/kube/index.js";
import { startKubeServer } from "../support/kube/index.js";
import {
  type AwsFace,
  SIM_ACCESS_KEY_ID,
  SIM_SECRET_ACCESS_KEY,
  startAwsFace,
} from "../support/sim/aws/server.js";
import { CloudLedger } from "../support/sim/cloud/ledger.js";
import { installCrds } from "../support/sim/crds.js";
import { LiteLlmServer } from "../support/sim/litellm/server.js";
import { SimClock } from "../support/sim/runtime/clock.js";
import { createRandom } from "../support/sim/runtime/random.js";

export interface SeededPlatform {
  kube: KubeServer;
  litellm: LiteLlmServer;
  aws: AwsFace;
  /** AWS_ENDPOINT_URL, AWS_REGION and the face's access key, for the process that runs status. */
  awsEnv: Record<string, string>;
  stop(): Promise<void>;
}

const MASTER_KEY = "sk-seeded-master-key";
const CREATED = "2026-01-01T10:00:00Z";
/** Apply, then write `status` through the status subresource (an apply does not set it, as on a real server). */
function write(store: Store, object: KubeObject): void {
  const { status, ...rest } = object;
  const applied = store.apply(rest as KubeObject, { fieldManager: "seed", force: true });
  if (status !== undefined) store.updateStatus({ ...applied, status }, { fieldManager: "seed" });
}

function inferenceEndpointCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "inferenceendpoints.kro.run" },
    spec: {
      group: "kro.run",
      scope: "Namespaced",
      names: {
        kind: "InferenceEndpoint",
        plural: "inferenceendpoints",
        singular: "inferenceendpoint",
        listKind: "InferenceEndpointList",
      },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
}

export async function startSeededPlatform(endpoints: number, gpuNodes: number): Promise<SeededPlatform> {
  const kube = await startKubeServer();
  const store = kube.store;
  installCrds(store);
  store.create(inferenceEndpointCrd(), { fieldManager: "seed" });
  for (const ns of ["inference", "ai-platform", "argocd"])
    write(store, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });

  const litellm = new LiteLlmServer({
    masterKey: MASTER_KEY,
    random: createRandom(1),
    backend: () => ({ ok: true }),
  });
  await litellm.start();
  write(store, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "litellm-secrets", namespace: "ai-platform" },
    data: { "master-key": Buffer.from(MASTER_KEY).toString("base64") },
  });
  write(store, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "litellm", namespace: "ai-platform" },
    spec: { selector: { "app.kubernetes.io/name": "litellm" }, ports: [{ port: 4000, targetPort: 4000 }] },
  });
  write(store, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "litellm-0",
      namespace: "ai-platform",
      labels: { "app.kubernetes.io/name": "litellm" },
    },
    spec: { containers: [{ name: "litellm", image: "litellm" }] },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
  });
  const port = Number(new URL(litellm.url).port);
  kube.setPortForwardTarget("ai-platform", "litellm-0", 4000, { host: "127.0.0.1", port });

  for (const app of [
    "platform-namespaces",
    "kro-definitions",
    "kuberay-operator",
    "gpu-operator",
    "litellm",
    "workloads",
  ]) {
    write(store, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: app, namespace: "argocd" },
      spec: { source: { repoURL: "file:///nowhere", targetRevision: "main", path: app } },
      status: { sync: { status: "Synced", revision: "0".repeat(40) }, health: { status: "Healthy" } },
    });
  }
  for (let n = 0; n < gpuNodes; n++) {
    write(store, {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: `gpu-${n}`,
        creationTimestamp: CREATED,
        labels: {
          "workload-type": "gpu-inference",
          "karpenter.sh/nodepool": "gpu-inference",
          "karpenter.sh/capacity-type": "on-demand",
          "node.kubernetes.io/instance-type": "g6.xlarge",
        },
      },
      status: { capacity: { "nvidia.com/gpu": "4" } },
    });
  }
  for (let e = 0; e < endpoints; e++) {
    const name = `model-${e}`;
    const cluster = `${name}-raycluster-abcde`;
    write(store, {
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      metadata: { name, namespace: "inference", creationTimestamp: CREATED },
      spec: { model: "google/gemma-3-1b-it", gpuCount: 1, minReplicas: 1, maxReplicas: 4 },
      status: { state: "ACTIVE", conditions: [{ type: "Ready", status: "True" }] },
    });
    write(store, {
      apiVersion: "ray.io/v1",
      kind: "RayService",
      metadata: { name, namespace: "inference" },
      spec: {},
      status: {
        conditions: [{ type: "Ready", status: "True", reason: "NonZeroServeEndpoints" }],
        activeServiceStatus: { rayClusterName: cluster, applicationStatuses: { llm: { status: "RUNNING" } } },
      },
    });
    for (const type of ["head", "worker"]) {
      write(store, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `${cluster}-${type}-x`,
          namespace: "inference",
          labels: { "app.kubernetes.io/instance": name, "ray.io/node-type": type, "ray.io/cluster": cluster },
        },
        spec: {
          nodeName: type === "worker" && gpuNodes > 0 ? `gpu-${e % gpuNodes}` : "system-0",
          containers: [{ name: `ray-${type}`, image: "ray" }],
        },
        status: { phase: "Running" },
      });
    }
    litellm.registerIfAbsent(name, `openai/${name}`, `http://${name}-serve-svc.inference:8000/v1`);
  }
  const aws = await startEksFace(kube.url);
  return {
    kube,
    litellm,
    aws,
    awsEnv: {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: SIM_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SIM_SECRET_ACCESS_KEY,
    },
    async stop() {
      await aws.stop();
      await litellm.stop();
      await kube.stop();
    },
  };
}

/** EKS as the cluster stage leaves it: the cluster aiplat-dev and its ArgoCD, KRO and ACK capabilities. */
async function startEksFace(endpoint: string): Promise<AwsFace> {
  const ledger = new CloudLedger(new SimClock(20), createRandom(2));
  ledger.create({ kind: "eks-cluster", name: "aiplat-dev", hourlyPrice: 0.1, tags: {}, createdBy: "seed" });
  for (const cap of ["argocd", "kro", "ack"])
    ledger.create({
      kind: "eks-capability",
      name: cap,
      type: cap.toUpperCase(),
      hourlyPrice: 0,
      tags: {},
      createdBy: "seed",
    });
  return startAwsFace({
    ledger,
    region: "us-east-1",
    accountId: "123456789012",
    clusterName: "aiplat-dev",
    clusterEndpoint: () => endpoint,
  });
}
