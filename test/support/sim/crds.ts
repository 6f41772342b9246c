import type { Store } from "./runtime/kube.js";
import { tryGet } from "./runtime/kube.js";

/**
 * The custom resource types the simulated controllers serve. On EKS, the ArgoCD and KRO
 * capabilities install their CRDs, Terraform's Karpenter Helm release installs Karpenter's, and the
 * kuberay-operator chart installs RayService/RayCluster. The simulator installs all of them at start
 * with open schemas (x-kubernetes-preserve-unknown-fields): validating fields against the real
 * schemas is the job of test/platform (strict CRD checks), not of the simulator.
 */
interface CrdSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  shortNames?: string[];
  columns?: { name: string; jsonPath: string; type?: string }[];
}

const CRDS: CrdSpec[] = [
  {
    group: "argoproj.io",
    version: "v1alpha1",
    kind: "Application",
    plural: "applications",
    scope: "Namespaced",
    shortNames: ["app", "apps"],
    columns: [
      { name: "Sync Status", jsonPath: ".status.sync.status" },
      { name: "Health Status", jsonPath: ".status.health.status" },
    ],
  },
  {
    group: "argoproj.io",
    version: "v1alpha1",
    kind: "AppProject",
    plural: "appprojects",
    scope: "Namespaced",
    shortNames: ["appproj"],
  },
  {
    group: "argoproj.io",
    version: "v1alpha1",
    kind: "ApplicationSet",
    plural: "applicationsets",
    scope: "Namespaced",
    shortNames: ["appset"],
  },
  {
    group: "kro.run",
    version: "v1alpha1",
    kind: "ResourceGraphDefinition",
    plural: "resourcegraphdefinitions",
    scope: "Cluster",
    shortNames: ["rgd"],
    columns: [
      { name: "Kind", jsonPath: ".spec.schema.kind" },
      { name: "State", jsonPath: ".status.state" },
    ],
  },
  {
    group: "ray.io",
    version: "v1",
    kind: "RayService",
    plural: "rayservices",
    scope: "Namespaced",
    columns: [{ name: "Service Status", jsonPath: ".status.serviceStatus" }],
  },
  {
    group: "ray.io",
    version: "v1",
    kind: "RayCluster",
    plural: "rayclusters",
    scope: "Namespaced",
    columns: [{ name: "Status", jsonPath: ".status.state" }],
  },
  {
    group: "karpenter.sh",
    version: "v1",
    kind: "NodePool",
    plural: "nodepools",
    scope: "Cluster",
    columns: [{ name: "NodeClass", jsonPath: ".spec.template.spec.nodeClassRef.name" }],
  },
  {
    group: "karpenter.sh",
    version: "v1",
    kind: "NodeClaim",
    plural: "nodeclaims",
    scope: "Cluster",
    columns: [
      { name: "Ready", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Node", jsonPath: ".status.nodeName" },
    ],
  },
  {
    group: "karpenter.k8s.aws",
    version: "v1",
    kind: "EC2NodeClass",
    plural: "ec2nodeclasses",
    scope: "Cluster",
  },
];

function crdObject(spec: CrdSpec): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${spec.plural}.${spec.group}` },
    spec: {
      group: spec.group,
      scope: spec.scope,
      names: {
        kind: spec.kind,
        plural: spec.plural,
        singular: spec.kind.toLowerCase(),
        listKind: `${spec.kind}List`,
        ...(spec.shortNames ? { shortNames: spec.shortNames } : {}),
      },
      versions: [
        {
          name: spec.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: (spec.columns ?? []).map((c) => ({ type: "string", ...c })),
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
}

export function installCrds(store: Store): void {
  for (const spec of CRDS) {
    const crd = crdObject(spec);
    const name = (crd.metadata as { name: string }).name;
    if (tryGet(store, { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name }))
      continue;
    store.create(crd, { fieldManager: "eks" });
  }
}
