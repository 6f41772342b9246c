import type { S3Client } from "@aws-sdk/client-s3";
import { createAwsIdentity } from "../../adapters/aws/identity.js";
import { type AwsProfileInfo, reloginHint } from "../../adapters/aws/profile.js";
import { checkStateBucket, ensureStateBucket, stateBucketName } from "../../adapters/aws/state-backend.js";
import { formatElapsed } from "../../core/clock.js";
import { ConfigError, PrerequisiteError } from "../../core/errors.js";
import { estimateStageMinutes } from "../../core/stages/stages.js";
import type { CommandContext } from "../context.js";

/** What S3-backed stages need: the state bucket, its region, and a way to check credential lifetime. */
export interface AwsBackend {
  bucket: string;
  region: string;
  /** The state bucket's client (reads the state of switched-off stages). */
  s3: S3Client;
  profile: AwsProfileInfo;
  credentialExpiry(): Promise<Date | undefined>;
}

/**
 * Resolves the account and region, and makes sure the state bucket exists (`up`) or checks that it
 * does (`plan`, which changes nothing). Only called when some selected stage has an S3 backend.
 */
export async function prepareAwsBackend(
  ctx: CommandContext,
  tfvarsRegion: string | undefined,
  mode: "up" | "plan",
): Promise<AwsBackend & { created: boolean }> {
  const profile = await ctx.adapters.awsProfile();
  const region = tfvarsRegion ?? profile.region;
  if (!region) {
    throw new ConfigError("No AWS region: the tfvars has no `region` and AWS_REGION is not set.", {
      code: "no-region",
      hint: `Set region in terraform/00.global/vars/${ctx.env}.tfvars (aiplat init --env ${ctx.env}).`,
    });
  }
  const identity = createAwsIdentity(ctx.adapters.aws, region);
  const caller = await identity.callerIdentity().catch((error: unknown) => {
    if (error instanceof PrerequisiteError) {
      throw new PrerequisiteError(error.message, {
        code: error.code,
        hint: reloginHint(profile, "retry"),
        cause: error,
      });
    }
    throw error;
  });
  const bucket = stateBucketName(caller.account);
  const s3 = await ctx.adapters.aws.s3(region);
  let created = false;
  if (mode === "up") {
    const partition = /^arn:([^:]+):/.exec(caller.arn)?.[1] ?? "aws";
    const owner = { kms: await ctx.adapters.aws.kms(region), account: caller.account, partition };
    const outcome = await ensureStateBucket(s3, bucket, region, owner);
    created = outcome === "created";
    if (outcome === "repaired")
      ctx.io.warn(
        `The state bucket ${bucket} was not versioned: versioning, KMS encryption, the bucket policy and the public access block are now on.`,
      );
    if (outcome === "secured")
      ctx.io.warn(
        `The state bucket ${bucket} now encrypts with the KMS key alias/aiplat-tfstate (it used S3-managed keys); existing state objects are re-encrypted as each stage next writes its state.`,
      );
  } else if ((await checkStateBucket(s3, bucket)) === "missing") {
    throw new PrerequisiteError(
      `The Terraform state bucket ${bucket} does not exist yet, so there is nothing to plan against.`,
      {
        code: "no-state-bucket",
        hint: `Run \`aiplat up --env ${ctx.env}\`: it creates the bucket, then plans and applies each stage.`,
      },
    );
  }
  return { bucket, region, s3, profile, created, credentialExpiry: () => identity.credentialExpiry() };
}

/**
 * Stops before a stage when the credentials would expire while it runs: an EKS cluster half made
 * because the SSO session ran out is the failure this prevents.
 */
export async function guardCredentials(
  ctx: CommandContext,
  backend: Pick<AwsBackend, "profile" | "credentialExpiry">,
  stage: string,
  resume: string,
): Promise<void> {
  const expiry = await backend.credentialExpiry().catch((error: unknown) => {
    if (error instanceof PrerequisiteError) {
      throw new PrerequisiteError(error.message, {
        code: error.code,
        hint: reloginHint(backend.profile, `\`${resume}\``),
        cause: error,
      });
    }
    throw error;
  });
  if (!expiry) return;
  const minutes = estimateStageMinutes(stage);
  const left = expiry.getTime() - ctx.clock.now();
  if (left < minutes * 60_000) {
    const when = left <= 0 ? "have expired" : `expire in ${formatElapsed(left)}`;
    throw new PrerequisiteError(
      `Not starting stage ${stage}: your AWS credentials ${when}, and this stage can take about ${minutes} minutes.`,
      {
        code: "credentials-expiring",
        hint: reloginHint(backend.profile, `\`${resume}\``),
        details: { stage, expiresAt: expiry.toISOString(), estimateMinutes: minutes },
      },
    );
  }
}
