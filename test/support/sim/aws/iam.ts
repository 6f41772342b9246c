import type { CloudResource } from "../cloud/ledger.js";
import type { RequestContext } from "./account.js";
import { AwsError, el, members, type Params } from "./wire.js";

/**
 * IAM (awsQuery, global) instance profiles and STS GetCallerIdentity. Shapes and errors from the IAM
 * API reference: DeleteInstanceProfile refuses a profile that still has a role (DeleteConflict,
 * "Cannot delete entity, must remove roles from instance profile first."), unknown names are
 * NoSuchEntity (404).
 */
type Handler = (ctx: RequestContext, params: Params) => string;

const profileArn = (ctx: RequestContext, p: CloudResource) =>
  `${ctx.arnPrefix("iam")}:instance-profile/${p.name}`;

function findProfile(ctx: RequestContext, name: string): CloudResource {
  const profile = ctx.live("instance-profile").find((r) => r.name === name);
  if (!profile) throw new AwsError("NoSuchEntity", `Instance Profile ${name} cannot be found.`, 404);
  return profile;
}

const listInstanceProfiles: Handler = (ctx, params) => {
  const prefix = params.get("PathPrefix") ?? "/";
  const profiles = prefix === "/" ? ctx.live("instance-profile") : [];
  return (
    el("IsTruncated", false) +
    members(
      "InstanceProfiles",
      profiles.map(
        (p) =>
          el("Path", "/") +
          el("InstanceProfileName", p.name) +
          el("InstanceProfileId", p.id) +
          el("Arn", profileArn(ctx, p)) +
          el("CreateDate", ctx.iso(p.launchedAtMinute)) +
          members(
            "Roles",
            p.role
              ? [
                  el("Path", "/") +
                    el("RoleName", p.role) +
                    el("RoleId", `AROA${p.id.slice(4)}`) +
                    el("Arn", `${ctx.arnPrefix("iam")}:role/${p.role}`) +
                    el("CreateDate", ctx.iso(p.launchedAtMinute)),
                ]
              : [],
          ),
      ),
    )
  );
};

const deleteInstanceProfile: Handler = (ctx, params) => {
  const profile = findProfile(ctx, params.get("InstanceProfileName") ?? "");
  if (profile.role)
    throw new AwsError(
      "DeleteConflict",
      "Cannot delete entity, must remove roles from instance profile first.",
      409,
    );
  ctx.ledger.delete(profile.id, { waited: true });
  return "";
};

const removeRoleFromInstanceProfile: Handler = (ctx, params) => {
  const profile = findProfile(ctx, params.get("InstanceProfileName") ?? "");
  const role = params.get("RoleName") ?? "";
  if (profile.role !== role)
    throw new AwsError("NoSuchEntity", `The role with name ${role} cannot be found.`, 404);
  delete profile.role;
  return "";
};

export const IAM_ACTIONS: Record<string, Handler> = {
  ListInstanceProfiles: listInstanceProfiles,
  DeleteInstanceProfile: deleteInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
};

/** The simulated caller: an SSO-assumed role in the simulated account. */
export const STS_ACTIONS: Record<string, Handler> = {
  GetCallerIdentity: (ctx) =>
    el("Arn", `arn:aws:sts::${ctx.account.accountId}:assumed-role/AWSReservedSSO_PlatformAdmin/aiplat-sim`) +
    el("UserId", "AROASIMULATEDCALLER00:aiplat-sim") +
    el("Account", ctx.account.accountId),
};
