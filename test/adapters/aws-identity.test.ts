import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createAwsIdentity } from "../../src/adapters/aws/identity.js";
import { readAwsProfile, reloginCommand } from "../../src/adapters/aws/profile.js";
import { testAwsFactory } from "../support/aws.js";
import { makeTempDir } from "../support/temp.js";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe("AWS identity", () => {
  it("returns the caller identity from STS", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/me", UserId: "AID" });
    const identity = createAwsIdentity(testAwsFactory(), "eu-central-1");
    expect(await identity.callerIdentity()).toEqual({
      account: "123456789012",
      arn: "arn:aws:iam::123456789012:user/me",
      userId: "AID",
    });
  });

  it("reports the expiry of temporary credentials", async () => {
    const expiration = new Date("2026-11-26T13:00:00Z");
    expect(
      await createAwsIdentity(testAwsFactory({ expiration }), "eu-central-1").credentialExpiry(),
    ).toEqual(expiration);
    expect(await createAwsIdentity(testAwsFactory(), "eu-central-1").credentialExpiry()).toBeUndefined();
  });

  it("turns expired tokens into a prerequisite error (exit 4)", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("The security token included in the request is expired"), {
        name: "ExpiredToken",
      }),
    );
    await expect(createAwsIdentity(testAwsFactory(), "eu-central-1").callerIdentity()).rejects.toMatchObject({
      exitCode: 4,
      code: "aws-credentials",
    });
  });

  it("turns other STS failures into an API failure (exit 5)", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable" }));
    await expect(createAwsIdentity(testAwsFactory(), "eu-central-1").callerIdentity()).rejects.toMatchObject({
      exitCode: 5,
    });
  });
});

describe("AWS profile", () => {
  const config = (text: string) => {
    const file = join(makeTempDir(), "config");
    writeFileSync(file, text);
    return file;
  };

  it("recognises an SSO profile and its region", async () => {
    const file = config(
      "[profile platform]\nsso_session = corp\nsso_account_id = 1\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://x\n",
    );
    const profile = await readAwsProfile({ AWS_PROFILE: "platform", AWS_CONFIG_FILE: file });
    expect(profile).toEqual({ name: "platform", sso: true, region: "eu-west-1", known: true });
    expect(reloginCommand(profile)).toBe("aws sso login --profile platform");
  });

  it("lets AWS_REGION win over the profile, and knows a key profile is not SSO", async () => {
    const file = config("[default]\nregion = us-west-2\n");
    const profile = await readAwsProfile({ AWS_CONFIG_FILE: file, AWS_REGION: "eu-central-1" });
    expect(profile).toEqual({ name: undefined, sso: false, region: "eu-central-1", known: true });
    expect(reloginCommand(profile)).not.toContain("sso");
  });

  it("works without any config file", async () => {
    expect(await readAwsProfile({ AWS_CONFIG_FILE: join(makeTempDir(), "missing") })).toEqual({
      name: undefined,
      sso: false,
      region: undefined,
      known: true,
    });
  });
});
