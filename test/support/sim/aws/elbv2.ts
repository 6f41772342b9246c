import type { CloudResource } from "../cloud/ledger.js";
import type { RequestContext } from "./account.js";
import { AwsError, el, esc, listParam, members, type Params, queryTags, wrap } from "./wire.js";

/**
 * Elastic Load Balancing v2 (awsQuery protocol). Shapes from the ELBv2 API reference
 * (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference). DeleteLoadBalancer "succeeds if
 * the load balancer does not exist or has already been deleted" (its reference page); deleting it
 * leaves its target groups (they belong to the controller that made them) and its ENIs linger.
 */
type Handler = (ctx: RequestContext, params: Params) => string;

export function lbArn(ctx: RequestContext, lb: CloudResource): string {
  const kind = lb.type === "network" ? "net" : "app";
  return `${ctx.arnPrefix("elasticloadbalancing")}:loadbalancer/${kind}/${lb.name}/${lb.id.slice(3, 19)}`;
}

export function targetGroupArn(ctx: RequestContext, tg: CloudResource): string {
  return `${ctx.arnPrefix("elasticloadbalancing")}:targetgroup/${tg.name}/${tg.id.slice(3, 19)}`;
}

const lbNotFound = () => new AwsError("LoadBalancerNotFound", "One or more load balancers not found");
const tgNotFound = () => new AwsError("TargetGroupNotFound", "One or more target groups not found");

function pick(
  all: CloudResource[],
  arns: string[],
  arnOf: (r: CloudResource) => string,
): CloudResource[] | undefined {
  if (arns.length === 0) return all;
  const found = all.filter((r) => arns.includes(arnOf(r)));
  return found.length === arns.length ? found : undefined;
}

const describeLoadBalancers: Handler = (ctx, params) => {
  const all = ctx.live("load-balancer");
  let found = pick(all, listParam(params, "LoadBalancerArns"), (r) => lbArn(ctx, r));
  const names = listParam(params, "Names");
  if (found && names.length > 0) {
    found = found.filter((r) => names.includes(r.name ?? ""));
    if (found.length !== names.length) found = undefined;
  }
  if (!found) throw lbNotFound();
  return members(
    "LoadBalancers",
    found.map(
      (r) =>
        el("LoadBalancerArn", lbArn(ctx, r)) +
        el("DNSName", `${r.name}-${r.id.slice(3, 13)}.elb.${ctx.account.region}.amazonaws.com`) +
        el("CanonicalHostedZoneId", "Z26RNL4JYFTOTI") +
        el("CreatedTime", ctx.iso(r.launchedAtMinute)) +
        el("LoadBalancerName", r.name) +
        el("Scheme", r.tags["service.k8s.aws/scheme"] ?? "internet-facing") +
        el("VpcId", ctx.vpcId()) +
        wrap("State", el("Code", "active")) +
        el("Type", r.type) +
        members("AvailabilityZones", [
          el("ZoneName", `${ctx.account.region}a`) + el("SubnetId", ctx.subnetId()),
        ]) +
        members(
          "SecurityGroups",
          (r.securityGroups ?? []).map((id) => esc(id)),
        ) +
        el("IpAddressType", "ipv4"),
    ),
  );
};

const describeTags: Handler = (ctx, params) => {
  const arns = listParam(params, "ResourceArns");
  const described = arns.map((arn) => {
    const lb = ctx.live("load-balancer").find((r) => lbArn(ctx, r) === arn);
    const tg = ctx.live("target-group").find((r) => targetGroupArn(ctx, r) === arn);
    const r = lb ?? tg;
    if (!r) throw arn.includes(":targetgroup/") ? tgNotFound() : lbNotFound();
    return el("ResourceArn", arn) + queryTags(r.tags);
  });
  return members("TagDescriptions", described);
};

const deleteLoadBalancer: Handler = (ctx, params) => {
  const arn = params.get("LoadBalancerArn") ?? "";
  const lb = ctx.live("load-balancer").find((r) => lbArn(ctx, r) === arn);
  if (lb) ctx.ledger.delete(lb.id);
  return "";
};

const describeTargetGroups: Handler = (ctx, params) => {
  let found = pick(ctx.live("target-group"), listParam(params, "TargetGroupArns"), (r) =>
    targetGroupArn(ctx, r),
  );
  const names = listParam(params, "Names");
  if (found && names.length > 0) {
    found = found.filter((r) => names.includes(r.name ?? ""));
    if (found.length !== names.length) found = undefined;
  }
  if (!found) throw tgNotFound();
  const lbFilter = params.get("LoadBalancerArn");
  if (lbFilter) {
    const lb = ctx.live("load-balancer").find((r) => lbArn(ctx, r) === lbFilter);
    if (!lb) throw lbNotFound();
    found = found.filter((r) => r.attachedTo === lb.id);
  }
  return members(
    "TargetGroups",
    found.map((r) => {
      const lb = r.attachedTo ? ctx.ledger.find(r.attachedTo) : undefined;
      const lbs = lb && lb.deletedAtMinute === undefined ? [esc(lbArn(ctx, lb))] : [];
      return (
        el("TargetGroupArn", targetGroupArn(ctx, r)) +
        el("TargetGroupName", r.name) +
        el("Protocol", lb?.type === "application" ? "HTTP" : "TCP") +
        el("Port", Number(r.tags["service.k8s.aws/port"] ?? 80)) +
        el("VpcId", ctx.vpcId()) +
        el("TargetType", "ip") +
        members("LoadBalancerArns", lbs)
      );
    }),
  );
};

const deleteTargetGroup: Handler = (ctx, params) => {
  const arn = params.get("TargetGroupArn") ?? "";
  const tg = ctx.live("target-group").find((r) => targetGroupArn(ctx, r) === arn);
  if (!tg) return "";
  const lb = tg.attachedTo ? ctx.ledger.find(tg.attachedTo) : undefined;
  if (lb && lb.deletedAtMinute === undefined)
    throw new AwsError("ResourceInUse", `Target group '${arn}' is currently in use by a listener or a rule`);
  ctx.ledger.delete(tg.id);
  return "";
};

export const ELBV2_ACTIONS: Record<string, Handler> = {
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeTags: describeTags,
  DeleteLoadBalancer: deleteLoadBalancer,
  DescribeTargetGroups: describeTargetGroups,
  DeleteTargetGroup: deleteTargetGroup,
};
