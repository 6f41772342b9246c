/**
 * IAM Identity Center discovery for `aiplat init`: the instances (sso-admin ListInstances) and
 * the users and groups of an identity store (identitystore), so people are picked by name and
 * the tfvars get their ids. Every call runs in the Identity Center region, which may differ from
 * the cluster's. AccessDenied and missing credentials become `IdentityCenterUnavailable`, which the
 * wizard answers by falling back to typed ARNs and ids.
 */
import type { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import type { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { IdentityType } from "../../core/init/answers.js";
import type { AwsClientFactory } from "./clients.js";
import { callWithin, isNotFound } from "./identity-center-call.js";

export { IdentityCenterUnavailable } from "./identity-center-call.js";

export interface IdcInstance {
  arn: string;
  identityStoreId: string;
  name?: string | undefined;
  status?: string | undefined;
  region: string;
}

export interface DirectoryEntry {
  id: string;
  type: IdentityType;
  /** userName for users, displayName for groups. */
  name: string;
  displayName?: string | undefined;
  email?: string | undefined;
}

export interface IdentityCenter {
  listInstances(): Promise<IdcInstance[]>;
  listUsers(identityStoreId: string): Promise<DirectoryEntry[]>;
  listGroups(identityStoreId: string): Promise<DirectoryEntry[]>;
  /** Users whose user name or e-mail is `name` exactly, else whose display name matches (any case). */
  findUsers(identityStoreId: string, name: string): Promise<DirectoryEntry[]>;
  /** Groups whose display name is `name` (exactly, else in any case). */
  findGroups(identityStoreId: string, name: string): Promise<DirectoryEntry[]>;
  /** One user or group by id, or undefined when the store has no such id. */
  describe(identityStoreId: string, id: string, type: IdentityType): Promise<DirectoryEntry | undefined>;
}

export interface IdentityCenterOptions {
  /** Aborted on Ctrl-C: a pending call stops at once. */
  signal?: AbortSignal | undefined;
  /** How long one call may take before Identity Center counts as unreachable. */
  timeoutMs?: number | undefined;
}

/** A blackholed endpoint would otherwise hold the wizard for minutes (the SDK sets no timeout). */
export const IDENTITY_CENTER_TIMEOUT_MS = 15_000;

export function createIdentityCenter(
  clients: AwsClientFactory,
  region: string,
  options: IdentityCenterOptions = {},
): IdentityCenter {
  const sso = (): Promise<SSOAdminClient> => clients.ssoAdmin(region);
  const ids = (): Promise<IdentitystoreClient> => clients.identityStore(region);
  const sdk = () => import("@aws-sdk/client-identitystore");
  const call = <T>(send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
    callWithin(send, region, options.timeoutMs ?? IDENTITY_CENTER_TIMEOUT_MS, options.signal);

  const listUsers = async (identityStoreId: string): Promise<DirectoryEntry[]> => {
    const { ListUsersCommand } = await sdk();
    const client = await ids();
    const users: DirectoryEntry[] = [];
    let token: string | undefined;
    do {
      const out = await call((abortSignal) =>
        client.send(new ListUsersCommand({ IdentityStoreId: identityStoreId, NextToken: token }), {
          abortSignal,
        }),
      );
      for (const u of out.Users ?? []) users.push(toUser(u));
      token = out.NextToken;
    } while (token);
    return users;
  };

  const listGroups = async (identityStoreId: string): Promise<DirectoryEntry[]> => {
    const { ListGroupsCommand } = await sdk();
    const client = await ids();
    const groups: DirectoryEntry[] = [];
    let token: string | undefined;
    do {
      const out = await call((abortSignal) =>
        client.send(new ListGroupsCommand({ IdentityStoreId: identityStoreId, NextToken: token }), {
          abortSignal,
        }),
      );
      for (const g of out.Groups ?? []) groups.push(toGroup(g));
      token = out.NextToken;
    } while (token);
    return groups;
  };

  const describe = async (identityStoreId: string, id: string, type: IdentityType) => {
    const { DescribeUserCommand, DescribeGroupCommand } = await sdk();
    const client = await ids();
    try {
      if (type === "SSO_USER") {
        const out = await call((abortSignal) =>
          client.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: id }), {
            abortSignal,
          }),
        );
        return toUser({ ...out, UserId: out.UserId ?? id });
      }
      const out = await call((abortSignal) =>
        client.send(new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: id }), {
          abortSignal,
        }),
      );
      return toGroup({ ...out, GroupId: out.GroupId ?? id });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  return {
    async listInstances() {
      const { ListInstancesCommand } = await import("@aws-sdk/client-sso-admin");
      const client = await sso();
      const instances: IdcInstance[] = [];
      let token: string | undefined;
      do {
        const out = await call((abortSignal) =>
          client.send(new ListInstancesCommand({ NextToken: token }), { abortSignal }),
        );
        for (const i of out.Instances ?? []) {
          if (!i.InstanceArn || !i.IdentityStoreId) continue;
          instances.push({
            arn: i.InstanceArn,
            identityStoreId: i.IdentityStoreId,
            name: i.Name,
            status: i.Status,
            region,
          });
        }
        token = out.NextToken;
      } while (token);
      return instances;
    },
    listUsers,
    listGroups,
    describe,
    async findUsers(identityStoreId, name) {
      const { GetUserIdCommand } = await sdk();
      const client = await ids();
      // Exact unique attributes first: one cheap call instead of paging the whole directory.
      for (const path of ["userName", "emails.value"]) {
        try {
          const out = await call((abortSignal) =>
            client.send(
              new GetUserIdCommand({
                IdentityStoreId: identityStoreId,
                AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: name } },
              }),
              { abortSignal },
            ),
          );
          if (out.UserId) {
            const user = await describe(identityStoreId, out.UserId, "SSO_USER");
            if (user) return [user];
          }
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      const wanted = name.toLowerCase();
      return (await listUsers(identityStoreId)).filter(
        (u) =>
          u.name.toLowerCase() === wanted ||
          u.displayName?.toLowerCase() === wanted ||
          u.email?.toLowerCase() === wanted,
      );
    },
    async findGroups(identityStoreId, name) {
      const { GetGroupIdCommand } = await sdk();
      const client = await ids();
      try {
        const out = await call((abortSignal) =>
          client.send(
            new GetGroupIdCommand({
              IdentityStoreId: identityStoreId,
              AlternateIdentifier: {
                UniqueAttribute: { AttributePath: "displayName", AttributeValue: name },
              },
            }),
            { abortSignal },
          ),
        );
        if (out.GroupId) {
          const group = await describe(identityStoreId, out.GroupId, "SSO_GROUP");
          if (group) return [group];
        }
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const wanted = name.toLowerCase();
      return (await listGroups(identityStoreId)).filter((g) => g.name.toLowerCase() === wanted);
    },
  };
}

interface SdkUser {
  UserId?: string | undefined;
  UserName?: string | undefined;
  DisplayName?: string | undefined;
  Name?:
    | { GivenName?: string | undefined; FamilyName?: string | undefined; Formatted?: string | undefined }
    | undefined;
  Emails?: Array<{ Value?: string | undefined; Primary?: boolean | undefined }> | undefined;
}

function toUser(u: SdkUser): DirectoryEntry {
  const email = (u.Emails ?? []).find((e) => e.Primary)?.Value ?? u.Emails?.[0]?.Value;
  const formatted = u.Name?.Formatted ?? [u.Name?.GivenName, u.Name?.FamilyName].filter(Boolean).join(" ");
  return {
    id: u.UserId ?? "",
    type: "SSO_USER",
    name: u.UserName ?? u.UserId ?? "",
    displayName: u.DisplayName ?? (formatted || undefined),
    email,
  };
}

function toGroup(g: {
  GroupId?: string | undefined;
  DisplayName?: string | undefined;
  Description?: string | undefined;
}) {
  const entry: DirectoryEntry = {
    id: g.GroupId ?? "",
    type: "SSO_GROUP",
    name: g.DisplayName ?? g.GroupId ?? "",
  };
  if (g.Description) entry.displayName = g.Description;
  return entry;
}
