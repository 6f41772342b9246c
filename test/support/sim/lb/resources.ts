import type { CloudLedger, CloudResource } from "../cloud/ledger.js";
import type { KubeObject } from "../runtime/kube.js";

/**
 * What the AWS Load Balancer Controller makes in AWS besides the load balancer, per its docs
 * (kubernetes-sigs/aws-load-balancer-controller docs/deploy/security_groups.md): a frontend
 * security group per load balancer, a backend security group shared by every load balancer of the
 * cluster (`k8s-traffic-<cluster>-<hash>`, tagged `elbv2.k8s.aws/resource: backend-sg`), and a
 * target group per service port (docs/guide/targetgroupbinding). The controller deletes them when
 * the Service/Ingress goes; when the controller is gone first, they stay.
 */
const MANAGER = "aws-load-balancer-controller";

export function createSecurityGroups(
  ledger: CloudLedger,
  clusterName: string,
  lbName: string,
  tags: Record<string, string>,
): string[] {
  const frontend = ledger.create({
    kind: "security-group",
    name: lbName,
    hourlyPrice: 0,
    tags: { ...tags, "elbv2.k8s.aws/resource": "ManagedLBSecurityGroup" },
    createdBy: MANAGER,
  });
  return [frontend.id, backendSecurityGroup(ledger, clusterName).id];
}

function backendSecurityGroup(ledger: CloudLedger, clusterName: string): CloudResource {
  const existing = ledger
    .running("security-group")
    .find(
      (r) =>
        r.tags["elbv2.k8s.aws/resource"] === "backend-sg" && r.tags["elbv2.k8s.aws/cluster"] === clusterName,
    );
  if (existing) return existing;
  return ledger.create({
    kind: "security-group",
    name: `k8s-traffic-${clusterName.slice(0, 15)}-${(clusterName.length * 2654435761).toString(16).slice(0, 10)}`,
    hourlyPrice: 0,
    tags: {
      "aiplat:cluster": clusterName,
      "elbv2.k8s.aws/cluster": clusterName,
      "elbv2.k8s.aws/resource": "backend-sg",
    },
    createdBy: MANAGER,
  });
}

export function createTargetGroup(
  ledger: CloudLedger,
  lb: CloudResource,
  tags: Record<string, string>,
  port: number,
): CloudResource {
  return ledger.create({
    kind: "target-group",
    name: `k8s-${(lb.name ?? "").slice(4, 20)}-${lb.id.slice(3, 13)}`.slice(0, 32),
    hourlyPrice: 0,
    tags: { ...tags, "service.k8s.aws/port": String(port) },
    createdBy: MANAGER,
    attachedTo: lb.id,
  });
}

export function servicePort(service: KubeObject): number {
  const ports = (service.spec as { ports?: { port?: number }[] } | undefined)?.ports ?? [];
  return ports[0]?.port ?? 80;
}

/** The controller deletes the load balancer, then its target groups. */
export function deleteLoadBalancer(ledger: CloudLedger, lbId: string): void {
  ledger.delete(lbId);
  for (const tg of ledger.running("target-group")) if (tg.attachedTo === lbId) ledger.delete(tg.id);
}

/**
 * Deletes the frontend security group of a deleted load balancer, and the backend one when no
 * other load balancer uses it; false while something (the lingering ENIs) still uses them.
 */
export function deleteSecurityGroups(ledger: CloudLedger, lb: CloudResource): boolean {
  for (const sg of lb.securityGroups ?? []) {
    if (ledger.find(sg)?.deletedAtMinute !== undefined) continue;
    const users = ledger.running().filter((r) => r.securityGroups?.includes(sg));
    // The shared backend group stays while another load balancer of the cluster uses it.
    if (users.some((r) => r.attachedTo !== lb.id)) continue;
    if (users.length > 0) return false; // this load balancer's ENIs still linger
    ledger.delete(sg);
  }
  return true;
}
