import type { S3Client } from "@aws-sdk/client-s3";
import { ExternalError, PrerequisiteError } from "../../core/errors.js";

/**
 * The Terraform state bucket `tfstate-<account>` (PLATFORM.md): created when missing with
 * versioning, default encryption and every public access blocked; left alone when it exists.
 * Idempotent, SDK only (no AWS CLI).
 */

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
 * stopped between creating and configuring it — is configured now ("repaired"); otherwise it is
 * left alone ("exists").
 */
export async function ensureStateBucket(
  s3: S3Client,
  bucket: string,
  region: string,
): Promise<"created" | "exists" | "repaired"> {
  const s3sdk = await import("@aws-sdk/client-s3");
  if ((await checkStateBucket(s3, bucket)) === "exists") {
    if (await isVersioned(s3, bucket)) return "exists";
    await configureStateBucket(s3, bucket);
    return "repaired";
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
  await configureStateBucket(s3, bucket);
  return "created";
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

/** Versioning, default encryption and every public access blocked. */
async function configureStateBucket(s3: S3Client, bucket: string): Promise<void> {
  const s3sdk = await import("@aws-sdk/client-s3");
  try {
    await s3.send(
      new s3sdk.PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    await s3.send(
      new s3sdk.PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: true }],
        },
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
