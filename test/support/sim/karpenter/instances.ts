import { type InstanceType, nodeResources } from "../cloud/instance-types.js";
import type { CloudLedger, CloudResource } from "../cloud/ledger.js";
import { type KubeObject, labelsOf, ownerReference, patchStatus, type Store } from "../runtime/kube.js";
import type { Random } from "../runtime/random.js";
import { FINALIZER, MANAGER } from "./provisioning.js";

/**
 * The cloud-provider half of a NodeClaim: the EC2 instance with its ENI and root volume (deleted
 * with it; 300 GiB gp3 on GPU nodes, as the platform's EC2NodeClass asks), tagged the way
 * Karpenter tags them, and the Node the instance's kubelet registers.
 */
const round = (n: number): number => Math.round(n * 10000) / 10000;

export function launchInstance(
  ledger: CloudLedger,
  clusterName: string,
  claim: KubeObject,
  type: InstanceType,
): CloudResource {
  const name = claim.metadata?.name ?? "";
  const tags = {
    "aiplat:cluster": clusterName,
    "karpenter.sh/nodepool": labelsOf(claim)["karpenter.sh/nodepool"] ?? "",
    "karpenter.sh/nodeclaim": name,
    [`kubernetes.io/cluster/${clusterName}`]: "owned",
  };
  const instance = ledger.create({
    kind: "instance",
    type: type.name,
    hourlyPrice: type.hourlyPrice,
    tags,
    createdBy: "karpenter",
    name,
  });
  const attached = { ...tags, "delete-on-termination": "true" };
  ledger.create({
    kind: "eni",
    hourlyPrice: 0,
    tags: attached,
    createdBy: "karpenter",
    attachedTo: instance.id,
  });
  ledger.create({
    kind: "volume",
    type: "gp3",
    hourlyPrice: round((0.08 * (type.gpus > 0 ? 300 : 100)) / 730),
    tags: attached,
    createdBy: "karpenter",
    attachedTo: instance.id,
  });
  return instance;
}

export function registerNode(
  store: Store,
  random: Random,
  claim: KubeObject,
  type: InstanceType,
  instanceId: string,
  zone: string,
): string {
  const nodeName = `ip-10-0-${Math.floor(random.next() * 250)}-${Math.floor(random.next() * 250) + 2}.ec2.internal`;
  const spec = (claim.spec ?? {}) as { taints?: unknown[] };
  const { capacity, allocatable: full } = nodeResources(type);
  // The kubelet reports GPUs only once the NVIDIA device plugin registers them (kube/device-plugin.ts).
  const { "nvidia.com/gpu": _gpus, ...allocatable } = full;
  const node = store.create(
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: nodeName,
        labels: {
          ...labelsOf(claim),
          "karpenter.sh/nodeclaim": claim.metadata?.name ?? "",
          "karpenter.sh/registered": "true",
          "karpenter.sh/initialized": "true",
          "kubernetes.io/hostname": nodeName,
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/os": "linux",
          "topology.kubernetes.io/zone": zone,
        },
        ownerReferences: [ownerReference(claim, false)],
        // Karpenter's registration adds its termination finalizer to the Node
        // (pkg/controllers/nodeclaim/lifecycle/registration.go).
        finalizers: [FINALIZER],
      },
      spec: { providerID: `aws:///${zone}/${instanceId}`, taints: spec.taints ?? [] },
    },
    { fieldManager: MANAGER },
  );
  patchStatus(
    store,
    node,
    {
      capacity,
      allocatable,
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
      ],
      nodeInfo: { kubeletVersion: "v1.32.0-eks", osImage: "Amazon Linux 2023" },
    },
    "kubelet",
  );
  return nodeName;
}
