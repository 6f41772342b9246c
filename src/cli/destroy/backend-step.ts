/**
 * Step 8: the Terraform state backend. The state bucket is emptied of every version and removed,
 * then the deletion of its KMS key (alias/aiplat-tfstate) is scheduled and the alias deleted: a
 * key is billed until its deletion is scheduled, and KMS deletes a key only after a 7-day wait.
 * The key goes after the bucket, because until then the bucket's objects are encrypted with it.
 */
import { STATE_KEY_ALIAS } from "../../adapters/aws/state-key.js";
import { retireStateKey, STATE_KEY_DELETION_DAYS } from "../../adapters/aws/state-key-retirement.js";
import { ExternalError, PrerequisiteError } from "../../core/errors.js";
import type { AwsBackend } from "../up/aws-backend.js";
import type { StepRun } from "./step-context.js";

export async function removeStateBackend(run: StepRun, backend: AwsBackend): Promise<void> {
  const { removeStateBucket } = await import("../../adapters/aws/state-bucket-removal.js");
  const versions = await removeStateBucket(backend.s3, backend.bucket);
  run.deleted(`S3 state bucket ${backend.bucket} (${versions} object version(s))`);
  const retired = await retireStateKey(await run.ctx.adapters.aws.kms(backend.region)).catch((error) => {
    throw keyError(run, error);
  });
  if (retired.outcome === "gone") return;
  const when = retired.deletionDate ? ` on ${retired.deletionDate.toISOString().slice(0, 10)}` : "";
  run.deleted(
    `KMS key ${retired.keyId} (${STATE_KEY_ALIAS}): ${retired.outcome === "scheduled" ? "deletion scheduled" : "already pending deletion"}, AWS deletes it${when} (${STATE_KEY_DELETION_DAYS}-day minimum wait, not billed meanwhile); alias deleted`,
  );
}

function keyError(run: StepRun, error: unknown): Error {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as { message?: string }).message || name || String(error);
  const options = {
    cause: error,
    hint: `Use an identity allowed kms:DescribeKey, kms:ScheduleKeyDeletion and kms:DeleteAlias, then resume with \`${run.resume}\`.`,
  };
  if (name === "AccessDeniedException")
    return new PrerequisiteError(`Access denied to the KMS key ${STATE_KEY_ALIAS} of the state bucket.`, {
      ...options,
      code: "state-key-denied",
    });
  return new ExternalError(`Could not schedule the deletion of the KMS key ${STATE_KEY_ALIAS}: ${message}`, {
    ...options,
    code: "state-key-failed",
  });
}
