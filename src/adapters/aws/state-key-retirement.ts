import type { KMSClient } from "@aws-sdk/client-kms";
import { STATE_KEY_ALIAS } from "./state-key.js";

/**
 * Retires the state bucket's KMS key once the bucket is gone (`aiplat destroy`). A KMS key cannot
 * be deleted at once: ScheduleKeyDeletion starts a 7–30 day wait, and AWS bills nothing for a key
 * pending deletion (aws.amazon.com/kms/pricing: "no charge for customer managed KMS keys … that are
 * scheduled for deletion"; KMS API reference, ScheduleKeyDeletion). Only the key behind aiplat's
 * alias is touched. The alias goes too, so a later `aiplat up` makes a new key instead of finding
 * one that can no longer encrypt. Resume-safe: a key already pending deletion, or no alias, is done.
 */

/** AWS's shortest waiting period; the key encrypts nothing once the bucket is gone. */
export const STATE_KEY_DELETION_DAYS = 7;

export interface StateKeyRetirement {
  outcome: "scheduled" | "already-pending" | "gone";
  keyId?: string | undefined;
  deletionDate?: Date | undefined;
}

/** The alias's key and its state (Enabled, Disabled, PendingDeletion…), or undefined without one. */
export async function describeStateKey(
  kms: KMSClient,
): Promise<{ keyId: string; state: string; deletionDate?: Date | undefined } | undefined> {
  const { DescribeKeyCommand } = await import("@aws-sdk/client-kms");
  try {
    const out = await kms.send(new DescribeKeyCommand({ KeyId: STATE_KEY_ALIAS }));
    const meta = out.KeyMetadata;
    if (!meta?.KeyId) return undefined;
    return { keyId: meta.KeyId, state: meta.KeyState ?? "Unknown", deletionDate: meta.DeletionDate };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function retireStateKey(kms: KMSClient): Promise<StateKeyRetirement> {
  const sdk = await import("@aws-sdk/client-kms");
  const key = await describeStateKey(kms);
  if (!key) return { outcome: "gone" };
  let result: StateKeyRetirement = {
    outcome: "already-pending",
    keyId: key.keyId,
    deletionDate: key.deletionDate,
  };
  if (key.state !== "PendingDeletion") {
    try {
      const out = await kms.send(
        new sdk.ScheduleKeyDeletionCommand({
          KeyId: key.keyId,
          PendingWindowInDays: STATE_KEY_DELETION_DAYS,
        }),
      );
      result = { outcome: "scheduled", keyId: key.keyId, deletionDate: out.DeletionDate };
    } catch (error) {
      // Another run scheduled it between our DescribeKey and now.
      if ((error as { name?: string }).name !== "KMSInvalidStateException") throw error;
    }
  }
  try {
    await kms.send(new sdk.DeleteAliasCommand({ AliasName: STATE_KEY_ALIAS }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return result;
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === "NotFoundException";
}
