import { completeType, type PrinterColumn, type ResourceType, type ResourceTypeInput } from "./types.js";

type BuiltinInput = Omit<ResourceTypeInput, "version">;

/**
 * The built-in resources the platform and its tools touch, with the short names and categories
 * kube-apiserver 1.32 advertises (so `kubectl get cm`, `kubectl get all` resolve the same way).
 */
const col = (name: string, jsonPath: string, type = "string", priority = 0): PrinterColumn => ({
  name,
  type,
  jsonPath,
  priority,
});

const count = (name: string, jsonPath: string): PrinterColumn => ({
  ...col(name, jsonPath, "integer"),
  format: "count",
});

const core: BuiltinInput[] = [
  {
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    statusSubresource: true,
    columns: [col("Status", ".status.phase")],
  },
  { kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], columns: [count("Data", ".data")] },
  { kind: "Secret", plural: "secrets", columns: [col("Type", ".type"), count("Data", ".data")] },
  {
    kind: "Service",
    plural: "services",
    shortNames: ["svc"],
    categories: ["all"],
    statusSubresource: true,
    columns: [col("Type", ".spec.type"), col("Cluster-IP", ".spec.clusterIP")],
  },
  {
    kind: "Endpoints",
    plural: "endpoints",
    listKind: "EndpointsList",
    singular: "endpoints",
    shortNames: ["ep"],
  },
  {
    kind: "Pod",
    plural: "pods",
    shortNames: ["po"],
    categories: ["all"],
    statusSubresource: true,
    subresources: ["log", "portforward", "eviction"],
    columns: [
      col("Status", ".status.phase"),
      col("IP", ".status.podIP", "string", 1),
      col("Node", ".spec.nodeName", "string", 1),
    ],
  },
  { kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"], statusSubresource: true },
  {
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    columns: [
      col("Type", ".type"),
      col("Reason", ".reason"),
      col("Object", ".involvedObject.name"),
      col("Message", ".message"),
    ],
  },
  {
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    shortNames: ["pvc"],
    statusSubresource: true,
    columns: [col("Status", ".status.phase"), col("Volume", ".spec.volumeName")],
  },
  {
    kind: "PersistentVolume",
    plural: "persistentvolumes",
    namespaced: false,
    shortNames: ["pv"],
    statusSubresource: true,
  },
  { kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"] },
];

const apps: BuiltinInput[] = [
  {
    kind: "Deployment",
    plural: "deployments",
    shortNames: ["deploy"],
    categories: ["all"],
    statusSubresource: true,
    columns: [
      col("Ready", ".status.readyReplicas", "integer"),
      col("Available", ".status.availableReplicas", "integer"),
    ],
  },
  {
    kind: "StatefulSet",
    plural: "statefulsets",
    shortNames: ["sts"],
    categories: ["all"],
    statusSubresource: true,
    columns: [col("Ready", ".status.readyReplicas", "integer")],
  },
  {
    kind: "DaemonSet",
    plural: "daemonsets",
    shortNames: ["ds"],
    categories: ["all"],
    statusSubresource: true,
  },
  {
    kind: "ReplicaSet",
    plural: "replicasets",
    shortNames: ["rs"],
    categories: ["all"],
    statusSubresource: true,
  },
];

const batch: BuiltinInput[] = [
  {
    kind: "Job",
    plural: "jobs",
    categories: ["all"],
    statusSubresource: true,
    columns: [col("Succeeded", ".status.succeeded", "integer")],
  },
  { kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], categories: ["all"], statusSubresource: true },
];

const rbac: BuiltinInput[] = [
  { kind: "Role", plural: "roles" },
  { kind: "RoleBinding", plural: "rolebindings" },
  { kind: "ClusterRole", plural: "clusterroles", namespaced: false },
  { kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false },
];

function inGroup(group: string, version: string, inputs: BuiltinInput[]): ResourceType[] {
  return inputs.map((input) => completeType({ ...input, group, version }));
}

export function builtinTypes(): ResourceType[] {
  return [
    ...inGroup("", "v1", core),
    ...inGroup("apps", "v1", apps),
    ...inGroup("batch", "v1", batch),
    ...inGroup("rbac.authorization.k8s.io", "v1", rbac),
    ...inGroup("networking.k8s.io", "v1", [
      { kind: "Ingress", plural: "ingresses", shortNames: ["ing"], statusSubresource: true },
      { kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"] },
    ]),
    ...inGroup("storage.k8s.io", "v1", [
      { kind: "StorageClass", plural: "storageclasses", namespaced: false, shortNames: ["sc"] },
    ]),
    ...inGroup("policy", "v1", [
      {
        kind: "PodDisruptionBudget",
        plural: "poddisruptionbudgets",
        shortNames: ["pdb"],
        statusSubresource: true,
      },
    ]),
    ...inGroup("autoscaling", "v2", [
      {
        kind: "HorizontalPodAutoscaler",
        plural: "horizontalpodautoscalers",
        shortNames: ["hpa"],
        categories: ["all"],
        statusSubresource: true,
      },
    ]),
    ...inGroup("coordination.k8s.io", "v1", [{ kind: "Lease", plural: "leases" }]),
    ...inGroup("apiextensions.k8s.io", "v1", [
      {
        kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions",
        namespaced: false,
        shortNames: ["crd", "crds"],
        statusSubresource: true,
        columns: [col("Created At", ".metadata.creationTimestamp")],
      },
    ]),
  ];
}
