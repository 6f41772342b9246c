import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkStateBucket,
  ensureStateBucket,
  type StateBucketOwner,
  stateBucketName,
  stateBucketPolicy,
} from "../../src/adapters/aws/state-backend.js";
import { testAwsFactory } from "../support/aws.js";

const s3mock = mockClient(S3Client);
const kmsMock = mockClient(KMSClient);
afterEach(() => {
  s3mock.reset();
  kmsMock.reset();
});

const KEY_ARN = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd";
const kmsNotFound = () => Object.assign(new Error("alias not found"), { name: "NotFoundException" });

/** No state key yet: DescribeKey of the alias fails, CreateKey makes one. */
function freshKms(): void {
  kmsMock.on(DescribeKeyCommand).rejects(kmsNotFound());
  kmsMock.on(CreateKeyCommand).resolves({ KeyMetadata: { Arn: KEY_ARN, KeyId: "1234abcd" } as never });
}

async function owner(region = "eu-central-1"): Promise<StateBucketOwner> {
  return { kms: await testAwsFactory().kms(region), account: "111122223333", partition: "aws" };
}

const notFound = () =>
  Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
const denied = () =>
  Object.assign(new Error("Forbidden"), { name: "Forbidden", $metadata: { httpStatusCode: 403 } });

describe("Terraform state bucket", () => {
  it("is named after the account", () => {
    expect(stateBucketName("123456789012")).toBe("tfstate-123456789012");
  });

  it("leaves an existing versioned bucket alone", async () => {
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("exists");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it("finishes configuring a bucket that an interrupted run created but never versioned", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("repaired");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
    expect(s3mock.commandCalls(PutBucketEncryptionCommand)).toHaveLength(1);
    expect(s3mock.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
  });

  it("does not fail a run when it may not read the versioning of an existing bucket", async () => {
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).rejects(denied());
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("exists");
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it("creates a missing bucket versioned, encrypted and private, in the region", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("created");
    expect(s3mock.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({
      Bucket: "tfstate-1",
      CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
    });
    expect(s3mock.commandCalls(PutBucketVersioningCommand)[0]?.args[0].input.VersioningConfiguration).toEqual(
      {
        Status: "Enabled",
      },
    );
    // Issue 17 point 11: the customer managed key, not S3-managed AES256.
    const sse = s3mock.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input;
    expect(sse?.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
      BucketKeyEnabled: true,
    });
    expect(kmsMock.commandCalls(EnableKeyRotationCommand)[0]?.args[0].input).toEqual({ KeyId: "1234abcd" });
    expect(kmsMock.commandCalls(CreateAliasCommand)[0]?.args[0].input).toEqual({
      AliasName: "alias/aiplat-tfstate",
      TargetKeyId: "1234abcd",
    });
    expect(s3mock.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Bucket).toBe("tfstate-1");
    expect(
      s3mock.commandCalls(PutPublicAccessBlockCommand)[0]?.args[0].input.PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it("sends no LocationConstraint in us-east-1 (S3 rejects it there)", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("us-east-1");
    await ensureStateBucket(s3, "tfstate-1", "us-east-1", await owner("us-east-1"));
    expect(s3mock.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({ Bucket: "tfstate-1" });
  });

  it("treats a bucket created meanwhile by this account as success", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock
      .on(CreateBucketCommand)
      .rejects(Object.assign(new Error("owned"), { name: "BucketAlreadyOwnedByYou" }));
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("created");
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
  });

  it("turns access denied into a prerequisite error (exit 4) that says what permission is missing", async () => {
    s3mock.on(HeadBucketCommand).rejects(denied());
    const s3 = await testAwsFactory().s3("eu-central-1");
    const error = await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ exitCode: 4, code: "state-bucket-denied" });
    expect((error as Error).message).toContain("tfstate-1");
    expect((error as { hint: string }).hint).toContain("s3:CreateBucket");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });

  it("check reports a missing bucket without creating it", async () => {
    s3mock.on(HeadBucketCommand).rejects(notFound());
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await checkStateBucket(s3, "tfstate-1")).toBe("missing");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });

  it("the bucket policy refuses plain HTTP and every other account, on the bucket and its objects", () => {
    const policy = JSON.parse(stateBucketPolicy("tfstate-1", { account: "111122223333", partition: "aws" }));
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::tfstate-1", "arn:aws:s3:::tfstate-1/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } },
      }),
    ]);
    expect(stateBucketPolicy("b", { account: "1", partition: "aws-us-gov" })).toContain(
      "arn:aws-us-gov:s3:::b",
    );
  });

  it("reuses the existing state key (its alias) instead of making another", async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { Arn: KEY_ARN, KeyId: "1234abcd", KeyState: "Enabled" } as never });
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("created");
    expect(kmsMock.commandCalls(CreateKeyCommand)).toHaveLength(0);
    expect(
      s3mock.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input.ServerSideEncryptionConfiguration
        ?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    ).toBe(KEY_ARN);
  });

  it("when another run made the alias first, uses its key and schedules its own for deletion", async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .rejectsOnce(kmsNotFound())
      .resolves({
        KeyMetadata: {
          Arn: "arn:aws:kms:eu-central-1:111122223333:key/winner",
          KeyState: "Enabled",
        } as never,
      });
    kmsMock.on(CreateKeyCommand).resolves({ KeyMetadata: { Arn: KEY_ARN, KeyId: "1234abcd" } as never });
    kmsMock
      .on(CreateAliasCommand)
      .rejects(Object.assign(new Error("exists"), { name: "AlreadyExistsException" }));
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner());
    expect(kmsMock.commandCalls(ScheduleKeyDeletionCommand)[0]?.args[0].input).toEqual({
      KeyId: "1234abcd",
      PendingWindowInDays: 7,
    });
    expect(
      s3mock.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input.ServerSideEncryptionConfiguration
        ?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    ).toBe("arn:aws:kms:eu-central-1:111122223333:key/winner");
  });

  it("moves an existing bucket on S3-managed keys to the KMS key, keeping a policy it already has", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    s3mock.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
    s3mock.on(GetBucketPolicyCommand).resolves({ Policy: '{"Statement":[]}' });
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("secured");
    expect(s3mock.commandCalls(PutBucketEncryptionCommand)).toHaveLength(1);
    expect(s3mock.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });

  it("adds the policy to such a bucket when it has none", async () => {
    freshKms();
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    s3mock.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
    s3mock
      .on(GetBucketPolicyCommand)
      .rejects(Object.assign(new Error("none"), { name: "NoSuchBucketPolicy" }));
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("secured");
    expect(s3mock.commandCalls(PutBucketPolicyCommand)).toHaveLength(1);
  });

  it("leaves a bucket already on KMS, or whose encryption it may not read, alone", async () => {
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    s3mock.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }],
      },
    });
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("exists");
    s3mock.on(GetBucketEncryptionCommand).rejects(denied());
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner())).toBe("exists");
    expect(s3mock.commandCalls(PutBucketEncryptionCommand)).toHaveLength(0);
    expect(kmsMock.calls()).toHaveLength(0);
  });

  it("a state key pending deletion stops the run with what to do (the state could not be read)", async () => {
    kmsMock
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { Arn: KEY_ARN, KeyId: "1234abcd", KeyState: "PendingDeletion" } as never });
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    const error = await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ exitCode: 4, code: "state-key-unusable" });
    expect((error as { hint: string }).hint).toContain("cancel-key-deletion");
  });

  it("KMS access denied is a prerequisite error naming the permissions", async () => {
    kmsMock.on(DescribeKeyCommand).rejects(Object.assign(new Error("no"), { name: "AccessDeniedException" }));
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    const error = await ensureStateBucket(s3, "tfstate-1", "eu-central-1", await owner()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ exitCode: 4, code: "state-key-denied" });
    expect((error as { hint: string }).hint).toContain("kms:CreateKey");
  });
});
