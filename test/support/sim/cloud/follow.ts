import { patchStatus, type Store, tryDelete, tryList, withCondition } from "../runtime/kube.js";
import type { CloudLedger } from "./ledger.js";
import type { SimulatedTerraform } from "./terraform.js";

/**
 * What the cluster sees of changes in the account:
 * - a terminated instance's Node turns Ready=Unknown (its kubelet stopped posting status: the node
 *   lifecycle controller, kubernetes pkg/controller/nodelifecycle, "Kubelet stopped posting node
 *   status.") and is deleted, as the cloud node lifecycle controller does for a NotReady node whose
 *   instance no longer exists (kubernetes/cloud-provider controllers/nodelifecycle; EKS runs both
 *   in its control plane; the grace periods between are not simulated);
 * - an instance's ENI carries the node security group its EC2NodeClass selects by the
 *   `karpenter.sh/discovery` tag (the platform's ec2nodeclass templates), so that group cannot be
 *   deleted while the instance exists.
 */
export function followLedger(ledger: CloudLedger, store: Store, terraform: SimulatedTerraform): void {
  ledger.onChange((r, event) => {
    if (event === "created" && r.kind === "eni" && !r.securityGroups) {
      const owner = r.attachedTo ? ledger.find(r.attachedTo) : undefined;
      const sg = terraform.nodeSecurityGroup;
      if (owner?.kind === "instance" && sg && sg.deletedAtMinute === undefined) r.securityGroups = [sg.id];
    }
    if (event === "deleted" && r.kind === "instance") {
      for (const node of tryList(store, "v1", "Node")) {
        const providerID = (node.spec as { providerID?: string } | undefined)?.providerID ?? "";
        if (!providerID.endsWith(`/${r.id}`)) continue;
        const conditions = (node.status as { conditions?: unknown } | undefined)?.conditions;
        patchStatus(
          store,
          node,
          {
            conditions: withCondition(conditions, {
              type: "Ready",
              status: "Unknown",
              reason: "NodeStatusUnknown",
              message: "Kubelet stopped posting node status.",
            }),
          },
          "node-controller",
        );
        tryDelete(store, { apiVersion: "v1", kind: "Node", name: node.metadata?.name ?? "" });
      }
    }
  });
}
