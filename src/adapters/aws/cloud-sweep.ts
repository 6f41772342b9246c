/**
 * Deletes leftovers found by the scan (`aiplat destroy --sweep`, after confirmation). Order matters
 * the way it does in AWS: instances and load balancers first (their ENIs go with them, slowly),
 * then target groups, NAT gateways and Elastic IPs, then what they held: detached ENIs, security
 * groups, volumes, instance profiles, log groups. One item failing (DependencyViolation on a
 * security group whose ENI still lingers) is reported and the rest go on; the caller re-scans.
 */
import type { CloudItem, LeftoverKind } from "../../core/destroy/leftovers.js";
import type { AwsClientFactory } from "./clients.js";
import { iamClient, logsClient } from "./extra-clients.js";
import { retireStateKey } from "./state-key-retirement.js";

export const SWEEP_ORDER: readonly LeftoverKind[] = [
  "instance",
  "load-balancer",
  "nat-gateway",
  "target-group",
  "elastic-ip",
  "eni",
  "security-group",
  "volume",
  "instance-profile",
  "log-group",
  "kms-key",
];

export interface SweepResult {
  deleted: CloudItem[];
  failed: { item: CloudItem; message: string }[];
}

export async function sweepCloud(
  aws: AwsClientFactory,
  region: string,
  items: readonly CloudItem[],
): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], failed: [] };
  const ordered = [...items].sort((a, b) => SWEEP_ORDER.indexOf(a.kind) - SWEEP_ORDER.indexOf(b.kind));
  for (const item of ordered) {
    try {
      await deleteItem(aws, region, item);
      result.deleted.push(item);
    } catch (error) {
      result.failed.push({ item, message: (error as Error).message });
    }
  }
  return result;
}

async function deleteItem(aws: AwsClientFactory, region: string, item: CloudItem): Promise<void> {
  const ec2mod = await import("@aws-sdk/client-ec2");
  const ec2 = () => aws.ec2(region);
  switch (item.kind) {
    case "instance":
      if (item.state === "shutting-down") return; // already going
      await (await ec2()).send(new ec2mod.TerminateInstancesCommand({ InstanceIds: [item.id] }));
      return;
    case "eni":
      await (await ec2()).send(new ec2mod.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: item.id }));
      return;
    case "security-group":
      await (await ec2()).send(new ec2mod.DeleteSecurityGroupCommand({ GroupId: item.id }));
      return;
    case "volume":
      await (await ec2()).send(new ec2mod.DeleteVolumeCommand({ VolumeId: item.id }));
      return;
    case "elastic-ip":
      await (await ec2()).send(new ec2mod.ReleaseAddressCommand({ AllocationId: item.id }));
      return;
    case "nat-gateway":
      if (item.state === "deleting") return;
      await (await ec2()).send(new ec2mod.DeleteNatGatewayCommand({ NatGatewayId: item.id }));
      return;
    case "load-balancer":
    case "target-group": {
      const elb = await import("@aws-sdk/client-elastic-load-balancing-v2");
      const client = await aws.elbv2(region);
      if (item.kind === "load-balancer")
        await client.send(new elb.DeleteLoadBalancerCommand({ LoadBalancerArn: item.id }));
      else await client.send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: item.id }));
      return;
    }
    case "instance-profile": {
      const iam = await import("@aws-sdk/client-iam");
      const client = await iamClient(aws, region);
      // An instance profile cannot be deleted while it holds a role (IAM DeleteInstanceProfile
      // docs); ListInstanceProfiles already said which.
      for (const role of item.roles ?? []) {
        await client.send(
          new iam.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: item.id, RoleName: role }),
        );
      }
      await client.send(new iam.DeleteInstanceProfileCommand({ InstanceProfileName: item.id }));
      return;
    }
    case "log-group": {
      const logs = await import("@aws-sdk/client-cloudwatch-logs");
      await (await logsClient(aws, region)).send(new logs.DeleteLogGroupCommand({ logGroupName: item.id }));
      return;
    }
    case "kms-key":
      // By aiplat's alias, never by the id alone: only the key aiplat made is retired.
      await retireStateKey(await aws.kms(region));
      return;
  }
}
