import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { ProcessRunner, RunOptions } from "../../src/adapters/process.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sts.reset();
  s3.reset();
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

describe("aiplat up with the S3 backend", () => {
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
