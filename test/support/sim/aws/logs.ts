import type { RequestContext } from "./account.js";
import type { JsonAnswer } from "./eks.js";
import { AwsError } from "./wire.js";

/**
 * CloudWatch Logs (awsJson1_1, target prefix Logs_20140328): DescribeLogGroups and DeleteLogGroup,
 * shapes and errors from the CloudWatch Logs API reference (creationTime in epoch milliseconds;
 * "The specified log group does not exist." for an unknown name).
 */
type Handler = (ctx: RequestContext, input: Record<string, unknown>) => JsonAnswer;

const describeLogGroups: Handler = (ctx, input) => {
  const prefix = typeof input.logGroupNamePrefix === "string" ? input.logGroupNamePrefix : "";
  const pattern = typeof input.logGroupNamePattern === "string" ? input.logGroupNamePattern : "";
  const groups = ctx
    .live("log-group")
    .filter((g) => (g.name ?? "").startsWith(prefix) && (g.name ?? "").includes(pattern))
    .map((g) => {
      const arn = `${ctx.arnPrefix("logs")}:log-group:${g.name}`;
      return {
        logGroupName: g.name,
        creationTime: ctx.ledger.dateOf(g.launchedAtMinute).getTime(),
        retentionInDays: Number(g.tags["retention-in-days"] ?? 90),
        storedBytes: 0,
        arn: `${arn}:*`,
        logGroupArn: arn,
        logGroupClass: "STANDARD",
      };
    });
  return { status: 200, body: { logGroups: groups } };
};

const deleteLogGroup: Handler = (ctx, input) => {
  const group = ctx.live("log-group").find((g) => g.name === input.logGroupName);
  if (!group) throw new AwsError("ResourceNotFoundException", "The specified log group does not exist.");
  ctx.ledger.delete(group.id, { waited: true });
  return { status: 200, body: {} };
};

export const LOGS_ACTIONS: Record<string, Handler> = {
  DescribeLogGroups: describeLogGroups,
  DeleteLogGroup: deleteLogGroup,
};
