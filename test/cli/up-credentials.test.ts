import { existsSync } from "node:fs";
import { join } from "node:path";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/cli/context.js";
import { guardCredentials } from "../../src/cli/up/aws-backend.js";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { hasTerraform, skipNote } from "../support/tools.js";

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
beforeEach(() => {
  // A new state bucket gets the customer managed key alias/aiplat-tfstate (none exists yet).
  kms.on(DescribeKeyCommand).rejects(Object.assign(new Error("alias"), { name: "NotFoundException" }));
  kms
    .on(CreateKeyCommand)
    .resolves({ KeyMetadata: { Arn: "arn:aws:kms:eu-central-1:111122223333:key/k", KeyId: "k" } as never });
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/me" });
  s3.on(HeadBucketCommand).rejects(
    Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } }),
  );
  s3.on(CreateBucketCommand).resolves({});
});
afterEach(() => {
  sts.reset();
  s3.reset();
  kms.reset();
});

const S3_BACKEND = 'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n';

function s3Repo() {
  return makeTestRepo({
    files: {
      "terraform/00.global/vars/dev.tfvars": 'region = "eu-central-1"\n',
      "terraform/10.networking/backend.tf": S3_BACKEND,
      "terraform/30.eks/30.cluster/backend.tf": S3_BACKEND,
    },
  });
}

const MINUTE = 60_000;

describe("credential guard", () => {
  it("stops before a stage when SSO credentials expire in 5 minutes, naming the re-login command", async () => {
    const repo = s3Repo();
    const result = await runCli(["--env", "dev", "up", "--yes"], {
      cwd: repo.dir,
      adapters: {
        aws: testAwsFactory({ expiration: new Date(Date.now() + 5 * MINUTE) }),
        awsProfile: testAwsProfile({ name: "platform", sso: true }),
      },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("Not starting stage 10.networking");
    expect(result.stderr).toContain("aws sso login --profile platform");
    expect(result.stderr).toContain("aiplat up --env dev");
    // The state bucket was made first (tfstate-<account>); terraform never started.
    expect(s3.commandCalls(CreateBucketCommand)[0]?.args[0].input.Bucket).toBe("tfstate-111122223333");
    expect(existsSync(join(repo.dir, ".aiplat", "logs", "dev"))).toBe(false);
  });

  it("lets a stage start with 5 hours left, and stops the cluster stage (25 min) with 20 minutes left", async () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    const ctx = { clock: { now: () => now, sleep: async () => {} } } as unknown as CommandContext;
    const backend = (minutes: number) => ({
      bucket: "tfstate-1",
      region: "eu-central-1",
      profile: { name: "platform", sso: true, region: "eu-central-1" },
      credentialExpiry: async () => new Date(now + minutes * MINUTE),
    });
    await expect(
      guardCredentials(ctx, backend(300), "30.eks/30.cluster", "aiplat up --env dev"),
    ).resolves.toBeUndefined();
    await expect(
      guardCredentials(ctx, backend(20), "10.networking", "aiplat up --env dev"),
    ).resolves.toBeUndefined();
    await expect(
      guardCredentials(ctx, backend(20), "30.eks/30.cluster", "aiplat up --env dev"),
    ).rejects.toMatchObject({
      exitCode: 4,
      code: "credentials-expiring",
    });
    const longLived = { ...backend(0), credentialExpiry: async () => undefined };
    await expect(guardCredentials(ctx, longLived, "30.eks/30.cluster", "x")).resolves.toBeUndefined();
  });

  it("for a non-SSO profile, names the way to renew keys instead of aws sso login", async () => {
    const repo = s3Repo();
    const result = await runCli(["--env", "dev", "up", "--yes"], {
      cwd: repo.dir,
      adapters: {
        aws: testAwsFactory({ expiration: new Date(Date.now() + 2 * MINUTE) }),
        awsProfile: testAwsProfile({ name: undefined, sso: false }),
      },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).not.toContain("aws sso login");
    expect(result.stderr).toContain("AWS_ACCESS_KEY_ID");
  });

  it("plan refuses (exit 4) when the state bucket does not exist, and creates nothing", async () => {
    const repo = s3Repo();
    const result = await runCli(["--env", "dev", "plan"], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("tfstate-111122223333");
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });
});

describe("up configuration errors", () => {
  it("an environment without tfvars is bad configuration (exit 3) naming aiplat init", async () => {
    const repo = s3Repo();
    const result = await runCli(["--env", "prod", "up", "--yes"], { cwd: repo.dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("terraform/00.global/vars/prod.tfvars");
    expect(result.stderr).toContain("aiplat init --env prod");
    expect(sts.calls()).toHaveLength(0);
  });
});

describe.skipIf(!hasTerraform())(`local-backend stages${skipNote("terraform", hasTerraform())}`, () => {
  it("need no AWS at all: no STS, no S3 call", async () => {
    const repo = makeStagesRepo();
    const result = await repo.run(["up", "--yes", "--only", "networking"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(sts.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});
