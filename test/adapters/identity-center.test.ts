import {
  DescribeUserCommand,
  GetGroupIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-identitystore";
import { ListInstancesCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createIdentityCenter, IdentityCenterUnavailable } from "../../src/adapters/aws/identity-center.js";
import { testAwsFactory } from "../support/aws.js";

const sso = mockClient(SSOAdminClient);
const ids = mockClient(IdentitystoreClient);
afterEach(() => {
  sso.reset();
  ids.reset();
});

const STORE = "d-1234567890";
const notFound = () => Object.assign(new Error("not found"), { name: "ResourceNotFoundException" });
const denied = () =>
  Object.assign(new Error("User is not authorized to perform: sso:ListInstances"), {
    name: "AccessDeniedException",
  });
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const user = (n: number, extra: Record<string, unknown> = {}) => ({
  UserId: uuid(n),
  IdentityStoreId: STORE,
  UserName: `user${n}`,
  DisplayName: `User ${n}`,
  Emails: [{ Value: `user${n}@example.com`, Primary: true }],
  ...extra,
});

const center = () => createIdentityCenter(testAwsFactory(), "us-east-1");

describe("Identity Center discovery", () => {
  it("lists one instance with its identity store and region", async () => {
    sso.on(ListInstancesCommand).resolves({
      Instances: [
        {
          InstanceArn: "arn:aws:sso:::instance/ssoins-1",
          IdentityStoreId: STORE,
          Name: "corp",
          Status: "ACTIVE",
        },
      ],
    });
    expect(await center().listInstances()).toEqual([
      {
        arn: "arn:aws:sso:::instance/ssoins-1",
        identityStoreId: STORE,
        name: "corp",
        status: "ACTIVE",
        region: "us-east-1",
      },
    ]);
  });

  it("follows NextToken across several instances", async () => {
    sso
      .on(ListInstancesCommand, { NextToken: undefined })
      .resolves({
        Instances: [{ InstanceArn: "arn:aws:sso:::instance/ssoins-1", IdentityStoreId: "d-1111111111" }],
        NextToken: "p2",
      })
      .on(ListInstancesCommand, { NextToken: "p2" })
      .resolves({
        Instances: [{ InstanceArn: "arn:aws:sso:::instance/ssoins-2", IdentityStoreId: "d-2222222222" }],
      });
    expect((await center().listInstances()).map((i) => i.identityStoreId)).toEqual([
      "d-1111111111",
      "d-2222222222",
    ]);
  });

  it("returns no instance when the account has none", async () => {
    sso.on(ListInstancesCommand).resolves({ Instances: [] });
    expect(await center().listInstances()).toEqual([]);
  });

  it("turns AccessDenied into IdentityCenterUnavailable, which init answers by asking for typed ids", async () => {
    sso.on(ListInstancesCommand).rejects(denied());
    const error = await center()
      .listInstances()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityCenterUnavailable);
    expect((error as IdentityCenterUnavailable).reason).toBe("access-denied");
  });

  it("reports other API failures as an external error (exit 5) naming the service", async () => {
    sso
      .on(ListInstancesCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(center().listInstances()).rejects.toMatchObject({
      exitCode: 5,
      message: /Identity Center call failed: ThrottlingException/,
    });
  });

  it("counts a call that never answers as unreachable instead of holding the wizard", async () => {
    sso.on(ListInstancesCommand).callsFake(() => new Promise(() => {}));
    const error = await createIdentityCenter(testAwsFactory(), "us-east-1", { timeoutMs: 20 })
      .listInstances()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityCenterUnavailable);
    expect((error as IdentityCenterUnavailable).reason).toBe("unreachable");
    expect((error as Error).message).toContain("Identity Center in us-east-1 did not answer");
  });

  it("stops a pending call on Ctrl-C (an abort, which aiplat reports as exit 130)", async () => {
    ids.on(ListUsersCommand).callsFake(() => new Promise(() => {}));
    const controller = new AbortController();
    const pending = createIdentityCenter(testAwsFactory(), "us-east-1", { signal: controller.signal })
      .listUsers(STORE)
      .catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
  });

  it("pages through 250 users, 100 at a time, to find one by display name", async () => {
    const all = Array.from({ length: 250 }, (_, i) => user(i + 1));
    ids.on(GetUserIdCommand).rejects(notFound());
    ids.on(ListUsersCommand).callsFake((input) => {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const page = all.slice(start, start + 100);
      return { Users: page, NextToken: start + 100 < all.length ? String(start + 100) : undefined };
    });
    const c = center();
    expect(await c.listUsers(STORE)).toHaveLength(250);
    expect(ids.commandCalls(ListUsersCommand)).toHaveLength(3);
    const found = await c.findUsers(STORE, "user 237");
    expect(found).toEqual([
      {
        id: uuid(237),
        type: "SSO_USER",
        name: "user237",
        displayName: "User 237",
        email: "user237@example.com",
      },
    ]);
  });

  it("resolves an exact user name with GetUserId and shows display name and e-mail", async () => {
    ids.on(GetUserIdCommand).resolves({ UserId: uuid(7), IdentityStoreId: STORE });
    ids.on(DescribeUserCommand).resolves(user(7));
    expect(await center().findUsers(STORE, "user7")).toEqual([
      { id: uuid(7), type: "SSO_USER", name: "user7", displayName: "User 7", email: "user7@example.com" },
    ]);
    expect(ids.commandCalls(ListUsersCommand)).toHaveLength(0);
  });

  it("returns both users when a display name matches two people", async () => {
    ids.on(GetUserIdCommand).rejects(notFound());
    ids.on(ListUsersCommand).resolves({
      Users: [
        user(1, { DisplayName: "Alex Kim", Emails: [{ Value: "alex.kim@example.com", Primary: true }] }),
        user(2, { DisplayName: "Alex Kim", Emails: [{ Value: "akim@example.org" }] }),
        user(3),
      ],
    });
    const found = await center().findUsers(STORE, "alex kim");
    expect(found.map((u) => u.email)).toEqual(["alex.kim@example.com", "akim@example.org"]);
  });

  it("finds groups by display name and knows when an id does not exist", async () => {
    ids
      .on(ListGroupsCommand)
      .resolves({ Groups: [{ GroupId: uuid(9), DisplayName: "Platform Admins", IdentityStoreId: STORE }] });
    const c = center();
    ids.on(DescribeUserCommand).rejects(notFound());
    expect(await c.describe(STORE, uuid(1), "SSO_USER")).toBeUndefined();
    // GetGroupId matches exactly; a name in another case is found by listing the groups.
    ids.on(GetGroupIdCommand).rejects(notFound());
    expect((await c.findGroups(STORE, "platform admins")).map((g) => g.id)).toEqual([uuid(9)]);
    expect(await c.findGroups(STORE, "Nobody")).toEqual([]);
  });
});
