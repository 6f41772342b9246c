import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import { ExternalError, PrerequisiteError } from "../../core/errors.js";
import { ensureStateKey } from "./state-key.js";

/**
 * The Terraform state bucket `tfstate-<account>` (PLATFORM.md): created when missing with
 * versioning, every public access blocked, default encryption with the customer managed KMS key
 * alias/aiplat-tfstate, and a bucket policy that refuses plain HTTP and every other account's
 * principals (the state holds the platform's secrets: issue 17 point 11). An existing bucket is left
 * alone, except that one still on S3-managed keys (made before this change) is moved to the KMS
 * key, and gets the policy if it has none. Idempotent, SDK only (no AWS CLI).
 */

/** What the bucket's protection needs: the KMS client of its region and the owning account. */
export interface StateBucketOwner {
  kms: KMSClient;
  account: string;
  /** aws, aws-cn, aws-us-gov: the partition of the bucket's ARN. */
  partition: string;
}

export function stateBucketName(account: string): string {
  return `tfstate-${account}`;
}

export type BucketState = "exists" | "missing";

export async function checkStateBucket(s3: S3Client, bucket: string): Promise<BucketState> {
  const { HeadBucketCommand } = await import("@aws-sdk/client-s3");
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return "exists";
  } catch (error) {
    const status = httpStatus(error);
    const name = (error as { name?: string }).name;
    if (status === 404 || name === "NotFound" || name === "NoSuchBucket") return "missing";
    throw wrapS3Error(error, bucket, "read");
  }
}

/**
 * Creates the bucket if missing ("created"). An existing bucket that is not versioned — a run
 * stopped between creating and configuring it — is configured now ("repaired"); one on S3-managed
 * encryption is moved to the KMS key ("secured"); otherwise it is left alone ("exists").
 */
export async function ensureStateBucket(
  s3: S3Client,
  bucket: string,
  region: string,
  owner: StateBucketOwner,
): Promise<"created" | "exists" | "repaired" | "secured"> {
  const s3sdk = await import("@aws-sdk/client-s3");
  if ((await checkStateBucket(s3, bucket)) === "exists") {
    if (!(await isVersioned(s3, bucket))) {
      await configureStateBucket(s3, bucket, owner);
      return "repaired";
    }
    if ((await encryptionOf(s3, bucket)) !== "s3-managed") return "exists";
    await protectStateBucket(s3, bucket, owner, { keepPolicy: true });
    return "secured";
  }
  try {
    await s3.send(
      new s3sdk.CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that rejects an explicit LocationConstraint.
        ...(region === "us-east-1"
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  } catch (error) {
    // Another run created it between our check and create: that is the same outcome.
    if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou")
      throw wrapS3Error(error, bucket, "create");
  }
  await configureStateBucket(s3, bucket, owner);
  return "created";
}

/**
 * "kms" or "s3-managed" (AES256) as the bucket says; "unknown" when it may not be read (never fail
 * a run over the check, and never touch what we cannot see).
 */
async function encryptionOf(s3: S3Client, bucket: string): Promise<"kms" | "s3-managed" | "unknown"> {
  const { GetBucketEncryptionCommand } = await import("@aws-sdk/client-s3");
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const algorithms = (out?.ServerSideEncryptionConfiguration?.Rules ?? []).map(
      (r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    );
    if (algorithms.some((a) => a?.startsWith("aws:kms"))) return "kms";
    return algorithms.includes("AES256") ? "s3-managed" : "unknown";
  } catch {
    return "unknown";
  }
}

async function hasBucketPolicy(s3: S3Client, bucket: string): Promise<boolean> {
  const { GetBucketPolicyCommand } = await import("@aws-sdk/client-s3");
  try {
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return Boolean(out?.Policy);
  } catch (error) {
    // No policy is an error of its own name; anything else: assume one is there and keep it.
    return (error as { name?: string }).name !== "NoSuchBucketPolicy";
  }
}

/**
 * Refuses plain HTTP, and every principal of another account (even one a later ACL or key policy
 * mistake would let in). Deny statements only: the account's own IAM policies still decide who
 * of its principals may read the state.
 */
export function stateBucketPolicy(
  bucket: string,
  owner: Pick<StateBucketOwner, "account" | "partition">,
): string {
  const resources = [`arn:${owner.partition}:s3:::${bucket}`, `arn:${owner.partition}:s3:::${bucket}/*`];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": owner.account } },
      },
    ],
  });
}

/** KMS default encryption and the policy (kept when the bucket already has one and keepPolicy). */
async function protectStateBucket(
  s3: S3Client,
  bucket: string,
  owner: StateBucketOwner,
  options: { keepPolicy: boolean },
): Promise<void> {
  const keyArn = await ensureStateKey(owner.kms, bucket);
  const s3sdk = await import("@aws-sdk/client-s3");
  try {
    await s3.send(
      new s3sdk.PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          // Bucket keys: one KMS call per object-hour instead of per request (cost, throttling).
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    if (!(options.keepPolicy && (await hasBucketPolicy(s3, bucket))))
      await s3.send(
        new s3sdk.PutBucketPolicyCommand({ Bucket: bucket, Policy: stateBucketPolicy(bucket, owner) }),
      );
  } catch (error) {
    throw wrapS3Error(error, bucket, "configure");
  }
}

/** Unknown (no permission to read it) counts as versioned: never fail a run over the check. */
async function isVersioned(s3: S3Client, bucket: string): Promise<boolean> {
  const { GetBucketVersioningCommand } = await import("@aws-sdk/client-s3");
  try {
    const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return out?.Status === "Enabled";
  } catch {
    return true;
  }
}

/** Versioning, every public access blocked, KMS default encryption and the bucket policy. */
async function configureStateBucket(s3: S3Client, bucket: string, owner: StateBucketOwner): Promise<void> {
  const s3sdk = await import("@aws-sdk/client-s3");
  try {
    await s3.send(
      new s3sdk.PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    await s3.send(
      new s3sdk.PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  } catch (error) {
    throw wrapS3Error(error, bucket, "configure");
  }
  await protectStateBucket(s3, bucket, owner, { keepPolicy: false });
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function wrapS3Error(error: unknown, bucket: string, what: "read" | "create" | "configure"): Error {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as { message?: string }).message || name || String(error);
  if (httpStatus(error) === 403 || name === "AccessDenied" || name === "Forbidden") {
    return new PrerequisiteError(
      `Access denied to the Terraform state bucket ${bucket} (${what}): your AWS identity may lack S3 permissions, or another account owns that name.`,
      {
        code: "state-bucket-denied",
        hint: "Use an identity with s3:CreateBucket/ListBucket/PutBucket* on tfstate-<account> (e.g. an administrator profile), then run `aiplat up` again.",
        cause: error,
      },
    );
  }
  if (name === "BucketAlreadyExists") {
    return new PrerequisiteError(`The S3 bucket name ${bucket} is taken by another AWS account.`, {
      code: "state-bucket-taken",
      hint: "Check that AWS_PROFILE points at the account you mean, then run `aiplat up` again.",
      cause: error,
    });
  }
  return new ExternalError(`S3 ${what} of the state bucket ${bucket} failed: ${message}`, {
    code: "state-bucket-failed",
    cause: error,
  });
}
