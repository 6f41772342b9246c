import type { KubeObject } from "./kube/index.js";

/** A one-replica GPU Deployment (one pod on one gpu-inference node). */
export function gpuWorkload(name: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "inference" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          nodeSelector: { "workload-type": "gpu-inference" },
          tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
          containers: [
            {
              name: "w",
              image: "busybox",
              resources: { requests: { cpu: "4", memory: "24Gi", "nvidia.com/gpu": "1" } },
            },
          ],
        },
      },
    },
  };
}
