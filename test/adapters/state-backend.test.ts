import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkStateBucket,
  ensureStateBucket,
  stateBucketName,
} from "../../src/adapters/aws/state-backend.js";
import { testAwsFactory } from "../support/aws.js";

const s3mock = mockClient(S3Client);
afterEach(() => s3mock.reset());

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
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1")).toBe("exists");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it("finishes configuring a bucket that an interrupted run created but never versioned", async () => {
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1")).toBe("repaired");
    expect(s3mock.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
    expect(s3mock.commandCalls(PutBucketEncryptionCommand)).toHaveLength(1);
    expect(s3mock.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
  });

  it("does not fail a run when it may not read the versioning of an existing bucket", async () => {
    s3mock.on(HeadBucketCommand).resolves({});
    s3mock.on(GetBucketVersioningCommand).rejects(denied());
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1")).toBe("exists");
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it("creates a missing bucket versioned, encrypted and private, in the region", async () => {
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1")).toBe("created");
    expect(s3mock.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({
      Bucket: "tfstate-1",
      CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
    });
    expect(s3mock.commandCalls(PutBucketVersioningCommand)[0]?.args[0].input.VersioningConfiguration).toEqual(
      {
        Status: "Enabled",
      },
    );
    const sse = s3mock.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input;
    expect(
      sse?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe("AES256");
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
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock.on(CreateBucketCommand).resolves({});
    const s3 = await testAwsFactory().s3("us-east-1");
    await ensureStateBucket(s3, "tfstate-1", "us-east-1");
    expect(s3mock.commandCalls(CreateBucketCommand)[0]?.args[0].input).toEqual({ Bucket: "tfstate-1" });
  });

  it("treats a bucket created meanwhile by this account as success", async () => {
    s3mock.on(HeadBucketCommand).rejects(notFound());
    s3mock
      .on(CreateBucketCommand)
      .rejects(Object.assign(new Error("owned"), { name: "BucketAlreadyOwnedByYou" }));
    const s3 = await testAwsFactory().s3("eu-central-1");
    expect(await ensureStateBucket(s3, "tfstate-1", "eu-central-1")).toBe("created");
    expect(s3mock.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
  });

  it("turns access denied into a prerequisite error (exit 4) that says what permission is missing", async () => {
    s3mock.on(HeadBucketCommand).rejects(denied());
    const s3 = await testAwsFactory().s3("eu-central-1");
    const error = await ensureStateBucket(s3, "tfstate-1", "eu-central-1").catch((e: unknown) => e);
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
});
