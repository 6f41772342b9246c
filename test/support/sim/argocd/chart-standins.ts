import type { KubeObject } from "../runtime/kube.js";

/**
 * Helm-chart sources cannot be rendered offline. For each chart the platform pins, the simulator
 * syncs a small representative stand-in instead — the workload and Service a user or a tool would
 * look for (names as the real charts name them) — so that sync, health, waves, pruning and cascade
 * deletion behave as with the real chart. Unknown charts get one Deployment named after the release.
 */
function deployment(name: string, labels: Record<string, string>, port?: number): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { ...labels, "app.kubernetes.io/name": name } },
        spec: {
          containers: [
            {
              name,
              image: `registry.example.invalid/${name}:stand-in`,
              ...(port ? { ports: [{ name: "http", containerPort: port }] } : {}),
              resources: { requests: { cpu: "50m", memory: "64Mi" } },
            },
          ],
        },
      },
    },
  };
}

function service(name: string, port: number, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels },
    spec: {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": name },
      ports: [{ name: "http", port, targetPort: port }],
    },
  };
}

function database(name: string, labels: Record<string, string>): KubeObject {
  const base = deployment(name, labels);
  return {
    ...base,
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    spec: {
      ...(base.spec as Record<string, unknown>),
      serviceName: name,
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "8Gi" } } },
        },
      ],
    },
  };
}

export function chartStandIn(chart: string, release: string): KubeObject[] {
  const labels = { "app.kubernetes.io/instance": release, "helm.sh/chart": `${chart}-stand-in` };
  switch (chart) {
    case "gpu-operator":
      return [deployment("gpu-operator", labels)];
    case "kuberay-operator":
      return [deployment("kuberay-operator", labels, 8080), service("kuberay-operator", 8080, labels)];
    case "langfuse":
      return [
        deployment("langfuse-web", labels, 3000),
        service("langfuse-web", 3000, labels),
        database("langfuse-postgresql", labels),
      ];
    case "open-webui":
      return [deployment("open-webui", labels, 8080), service("open-webui", 8080, labels)];
    default:
      return [deployment(release, labels)];
  }
}
