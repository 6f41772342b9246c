import type { KMSClient } from "@aws-sdk/client-kms";
import { ExternalError, PrerequisiteError } from "../../core/errors.js";

/**
 * The customer managed KMS key that encrypts the Terraform state bucket (issue 17 point 11): the
 * state holds the LiteLLM master key, Langfuse keys and database passwords, so reading it needs
 * both S3 and kms:Decrypt on this key, and every use is in CloudTrail. Found by its alias, made
 * (with yearly rotation) when missing. SDK only.
 */

export const STATE_KEY_ALIAS = "alias/aiplat-tfstate";

export async function ensureStateKey(kms: KMSClient, bucket: string): Promise<string> {
  const found = await findStateKey(kms);
  if (found) return found;
  const sdk = await import("@aws-sdk/client-kms");
  try {
    const created = await kms.send(
      new sdk.CreateKeyCommand({
        Description: `Encrypts the Terraform state in s3://${bucket} (aiplat)`,
        KeyUsage: "ENCRYPT_DECRYPT",
        KeySpec: "SYMMETRIC_DEFAULT",
        Tags: [{ TagKey: "aiplat:state-bucket", TagValue: bucket }],
      }),
    );
    const arn = created.KeyMetadata?.Arn;
    const keyId = created.KeyMetadata?.KeyId;
    if (!arn || !keyId) throw new Error("CreateKey returned no key");
    await kms.send(new sdk.EnableKeyRotationCommand({ KeyId: keyId }));
    try {
      await kms.send(new sdk.CreateAliasCommand({ AliasName: STATE_KEY_ALIAS, TargetKeyId: keyId }));
    } catch (error) {
      if ((error as { name?: string }).name !== "AlreadyExistsException") throw error;
      // Another run made the alias first: use its key, and retire ours (it encrypts nothing).
      await kms.send(new sdk.ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      const winner = await findStateKey(kms);
      if (winner) return winner;
      throw error;
    }
    return arn;
  } catch (error) {
    throw wrapKmsError(error);
  }
}

/** The key behind the alias, or undefined when there is none. */
async function findStateKey(kms: KMSClient): Promise<string | undefined> {
  const { DescribeKeyCommand } = await import("@aws-sdk/client-kms");
  try {
    const out = await kms.send(new DescribeKeyCommand({ KeyId: STATE_KEY_ALIAS }));
    const meta = out.KeyMetadata;
    if (meta?.KeyState && meta.KeyState !== "Enabled") {
      throw new PrerequisiteError(
        `The KMS key ${STATE_KEY_ALIAS} of the Terraform state is ${meta.KeyState}: the state cannot be read or written.`,
        {
          code: "state-key-unusable",
          hint: `Enable it again (aws kms cancel-key-deletion / enable-key --key-id ${meta.KeyId ?? STATE_KEY_ALIAS}), then run \`aiplat up\` again.`,
        },
      );
    }
    return meta?.Arn;
  } catch (error) {
    if ((error as { name?: string }).name === "NotFoundException") return undefined;
    if (error instanceof PrerequisiteError) throw error;
    throw wrapKmsError(error);
  }
}

function wrapKmsError(error: unknown): Error {
  if (error instanceof PrerequisiteError || error instanceof ExternalError) return error;
  const name = (error as { name?: string }).name ?? "";
  const message = (error as { message?: string }).message || name || String(error);
  if (name === "AccessDeniedException") {
    return new PrerequisiteError(
      `Access denied to KMS while setting up the key of the Terraform state (${STATE_KEY_ALIAS}).`,
      {
        code: "state-key-denied",
        hint: "Use an identity allowed kms:CreateKey, kms:CreateAlias, kms:DescribeKey and kms:EnableKeyRotation (e.g. an administrator profile), then run `aiplat up` again.",
        cause: error,
      },
    );
  }
  return new ExternalError(`KMS failed for the Terraform state key ${STATE_KEY_ALIAS}: ${message}`, {
    code: "state-key-failed",
    cause: error,
  });
}
