import type { CloudLedger } from "../cloud/ledger.js";
import {
  addFinalizer,
  isDeleting,
  type KubeObject,
  patchStatus,
  recordEvent,
  removeFinalizer,
  type Store,
  tryList,
} from "../runtime/kube.js";
import { API, MANAGER } from "./provisioning.js";

/**
 * EC2NodeClasses (aws/karpenter-provider-aws, pkg/controllers/nodeclass/controller.go and
 * instanceprofile.go): Karpenter puts `karpenter.k8s.aws/termination` on each, and for
 * `spec.role` makes an instance profile named `<cluster>_<number>` (tagged with the cluster, the
 * node class and the region) that it records in `status.instanceProfile`. Deleting the
 * EC2NodeClass waits while NodeClaims still use it (Event `WaitingOnNodeClaimTermination`,
 * "Waiting on NodeClaim termination for a, b"), then deletes that instance profile and drops the
 * finalizer. With Karpenter stopped the EC2NodeClass stays Terminating and the profile stays.
 */
export const NODECLASS_API = "karpenter.k8s.aws/v1";
export const NODECLASS_FINALIZER = "karpenter.k8s.aws/termination";

export interface NodeClassOptions {
  clusterName: string;
  region: string;
}

export function claimsUsing(store: Store, nodeClass: string): KubeObject[] {
  return tryList(store, API, "NodeClaim").filter(
    (c) =>
      (c.spec as { nodeClassRef?: { kind?: string; name?: string } } | undefined)?.nodeClassRef?.name ===
      nodeClass,
  );
}

export function reconcileNodeClass(
  store: Store,
  ledger: CloudLedger,
  nodeClass: KubeObject,
  options: NodeClassOptions,
): void {
  const name = nodeClass.metadata?.name ?? "";
  const status = (nodeClass.status ?? {}) as { instanceProfile?: string };
  if (isDeleting(nodeClass)) {
    const users = claimsUsing(store, name).map((c) => c.metadata?.name ?? "");
    if (users.length > 0) {
      const shown =
        users.length > 5
          ? `${users.slice(0, 5).join(", ")} and ${users.length - 5} other(s)`
          : users.join(", ");
      recordEvent(
        store,
        nodeClass,
        "Normal",
        "WaitingOnNodeClaimTermination",
        `Waiting on NodeClaim termination for ${shown}`,
        MANAGER,
      );
      return;
    }
    if (status.instanceProfile) ledger.deleteInstanceProfile(status.instanceProfile);
    removeFinalizer(store, nodeClass, NODECLASS_FINALIZER, MANAGER);
    return;
  }
  addFinalizer(store, nodeClass, NODECLASS_FINALIZER, MANAGER);
  const role = (nodeClass.spec as { role?: string } | undefined)?.role;
  if (!role || status.instanceProfile) return;
  const specTags = (nodeClass.spec as { tags?: Record<string, string> } | undefined)?.tags ?? {};
  const profile = ledger.createInstanceProfile(role, {
    ...specTags,
    [`kubernetes.io/cluster/${options.clusterName}`]: "owned",
    "eks:eks-cluster-name": options.clusterName,
    "karpenter.k8s.aws/ec2nodeclass": name,
    "topology.kubernetes.io/region": options.region,
  });
  const profileName = profile.name ?? "";
  patchStatus(store, nodeClass, { instanceProfile: profileName }, MANAGER);
}
