import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { ProcessRunner, RunOptions } from "../../src/adapters/process.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { startS3Standin } from "../support/s3-standin.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";

const execFileAsync = promisify(execFile);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
afterEach(() => {
  sts.reset();
  s3.reset();
  kms.reset();
});

/** Records every terraform call and answers like terraform with nothing to change. */
function recordingTerraform() {
  const calls: { args: string[]; cwd: string | undefined; env: RunOptions["env"] }[] = [];
  const runner: ProcessRunner = {
    async run(file, args, options = {}) {
      expect(file).toBe("terraform");
      calls.push({ args: [...args], cwd: options.cwd, env: options.env });
      const stdout =
        args[0] === "show" ? JSON.stringify({ resource_changes: [] }) : args[0] === "output" ? "{}" : "";
      return { exitCode: 0, stdout, stderr: "", interrupted: false };
    },
  };
  return { calls, runner };
}

const S3_BACKEND = 'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n';

/** The same backend pointed at a local S3 stand-in; aiplat still supplies bucket, key and region. */
const localS3Backend = (endpoint: string) => `terraform {
  backend "s3" {
    use_lockfile                = true
    endpoints                   = { s3 = "${endpoint}" }
    use_path_style              = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }
}
`;

/** Runs `aiplat --env staging up` with recorded terraform on two S3-backend stages. */
async function recordUp(backend: string) {
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/me" });
  s3.on(HeadBucketCommand).resolves({});
  s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
  const repo = makeTestRepo({
    files: {
      "terraform/00.global/vars/staging.tfvars": 'region = "eu-west-1"\n',
      "terraform/10.networking/backend.tf": backend,
      "terraform/30.eks/30.cluster/backend.tf": backend,
    },
  });
  const tf = recordingTerraform();
  const result = await runCli(["--env", "staging", "up", "--json"], {
    cwd: repo.dir,
    adapters: {
      process: tf.runner,
      aws: testAwsFactory({ expiration: new Date(Date.now() + 5 * 3600_000) }),
      awsProfile: testAwsProfile(),
    },
  });
  return { repo, tf, result };
}

describe("aiplat up with the S3 backend", () => {
  it("moves a state bucket still on S3-managed keys to the KMS key, and says so (issue 17 point 11)", async () => {
    kms.on(DescribeKeyCommand).rejects(Object.assign(new Error("alias"), { name: "NotFoundException" }));
    kms.on(CreateKeyCommand).resolves({
      KeyMetadata: { Arn: "arn:aws:kms:eu-west-1:111122223333:key/k", KeyId: "k" } as never,
    });
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
    s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error("none"), { name: "NoSuchBucketPolicy" }));
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/me" });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const repo = makeTestRepo({
      files: {
        "terraform/00.global/vars/staging.tfvars": 'region = "eu-west-1"\n',
        "terraform/10.networking/backend.tf": S3_BACKEND,
      },
    });
    // Without --json: warnings are human output on stderr.
    const result = await runCli(["--env", "staging", "up"], {
      cwd: repo.dir,
      adapters: {
        process: recordingTerraform().runner,
        aws: testAwsFactory({ expiration: new Date(Date.now() + 5 * 3600_000) }),
        awsProfile: testAwsProfile(),
      },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("now encrypts with the KMS key alias/aiplat-tfstate");
    expect(
      s3.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input.ServerSideEncryptionConfiguration
        ?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:eu-west-1:111122223333:key/k" });
  });

  it("inits each stage with bucket tfstate-<account>, a key per stage, the region and S3 locking, in the env's workspace", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/me" });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const repo = makeTestRepo({
      files: {
        "terraform/00.global/vars/staging.tfvars": 'region = "eu-west-1"\n',
        "terraform/10.networking/backend.tf": S3_BACKEND,
        "terraform/30.eks/30.cluster/backend.tf": S3_BACKEND,
      },
    });
    const tf = recordingTerraform();
    const result = await runCli(["--env", "staging", "up", "--json"], {
      cwd: repo.dir,
      adapters: {
        process: tf.runner,
        aws: testAwsFactory({ expiration: new Date(Date.now() + 5 * 3600_000) }),
        awsProfile: testAwsProfile(),
      },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ stateBucket: "tfstate-111122223333" });

    const inits = tf.calls.filter((c) => c.args[0] === "init");
    expect(inits.map((c) => c.cwd)).toEqual([
      `${repo.dir}/terraform/10.networking`,
      `${repo.dir}/terraform/30.eks/30.cluster`,
    ]);
    expect(inits[1]?.args).toEqual([
      "init",
      "-input=false",
      "-no-color",
      "-backend-config=bucket=tfstate-111122223333",
      "-backend-config=key=30.eks/30.cluster/terraform.tfstate",
      "-backend-config=region=eu-west-1",
      "-backend-config=use_lockfile=true",
    ]);
    expect(tf.calls.filter((c) => c.args[0] === "workspace").map((c) => c.args)).toEqual([
      ["workspace", "select", "-or-create", "staging"],
      ["workspace", "select", "-or-create", "staging"],
    ]);
    const plan = tf.calls.find((c) => c.args[0] === "plan")?.args ?? [];
    expect(plan).toEqual(
      expect.arrayContaining(["-input=false", "-no-color", "-lock=true", "-compact-warnings", "-json"]),
    );
    expect(plan).toContain(`-var-file=${repo.dir}/terraform/00.global/vars/staging.tfvars`);
    expect(tf.calls.find((c) => c.args[0] === "plan")?.env).toMatchObject({
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
    });
    // Nothing to change: nothing applied.
    expect(tf.calls.some((c) => c.args[0] === "apply")).toBe(false);
  });
});

// The arguments above are only what aiplat believes terraform needs. Here the real terraform runs
// exactly the recorded init and workspace commands against an S3 stand-in, and the stand-in shows
// where the state went: the bucket, one key per stage under the env's workspace (env:/<env>/…),
// requests signed for the tfvars region, and the lock taken with a conditional write.
describe.skipIf(!hasTerraform())(
  `the S3 backend arguments, run by the real terraform${skipNote("terraform", hasTerraform())}`,
  () => {
    it("keep each stage's state under its own key in the env's workspace, in the tfvars region, locked", async () => {
      const store = await startS3Standin();
      try {
        const { tf, result } = await recordUp(localS3Backend(store.endpoint));
        expect(result.exitCode, result.stderr).toBe(0);
        const env = {
          ...process.env,
          ...terraformTestEnv(),
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
        };
        for (const call of tf.calls.filter((c) => c.args[0] === "init" || c.args[0] === "workspace")) {
          // Asynchronously: the stand-in answers from this process's event loop.
          const failure = await execFileAsync("terraform", call.args, {
            cwd: call.cwd,
            env,
            timeout: 60_000,
          }).then(
            () => "",
            (error: { stderr?: string }) => `terraform ${call.args.join(" ")} failed: ${error.stderr}`,
          );
          expect(failure).toBe("");
        }
        expect([...store.objects.keys()].sort()).toEqual([
          "tfstate-111122223333/env:/staging/10.networking/terraform.tfstate",
          "tfstate-111122223333/env:/staging/30.eks/30.cluster/terraform.tfstate",
        ]);
        expect(new Set(store.requests.map((r) => r.bucket))).toEqual(new Set(["tfstate-111122223333"]));
        expect(new Set(store.requests.map((r) => r.region))).toEqual(new Set(["eu-west-1"]));
        // use_lockfile: the lock is an object written only if absent (If-None-Match: *), then removed.
        const locks = store.requests.filter((r) => r.key.endsWith(".tflock"));
        expect(locks.filter((r) => r.method === "PUT").every((r) => r.ifNoneMatch === "*")).toBe(true);
        expect(locks.map((r) => r.method)).toEqual(expect.arrayContaining(["PUT", "DELETE"]));
      } finally {
        await store.close();
      }
    });
  },
);
