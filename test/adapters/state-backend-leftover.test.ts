import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { countStateResources } from "../../src/cli/up/leftover-state.js";
import { testAwsFactory } from "../support/aws.js";

const s3mock = mockClient(S3Client);
afterEach(() => s3mock.reset());

const body = (text: string) => ({ Body: { transformToString: async () => text } as never });
const state = JSON.stringify({
  resources: [
    { mode: "managed", type: "aws_prometheus_workspace", instances: [{}] },
    { mode: "managed", type: "aws_grafana_workspace", instances: [{}, {}] },
    { mode: "managed", type: "aws_iam_role", instances: [] },
    { mode: "data", type: "terraform_remote_state", instances: [{}] },
  ],
});
const stage = "40.observability/45.aws-oss-observability";

describe("state of a switched-off S3-backed stage", () => {
  it("counts the managed resources still recorded in the environment's workspace", async () => {
    s3mock.on(GetObjectCommand).resolves(body(state));
    const client = await testAwsFactory().s3("eu-central-1");
    const count = await countStateResources({
      backend: "s3",
      stageDir: "/nowhere",
      stage,
      env: "dev",
      s3: { client, bucket: "tfstate-1" },
    });
    expect(count).toBe(2);
    expect(s3mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "tfstate-1",
      Key: `env:/dev/${stage}/terraform.tfstate`,
    });
  });

  it("is 0 without a state object, and unknown when S3 refuses", async () => {
    const client = await testAwsFactory().s3("eu-central-1");
    const target = { backend: "s3" as const, stageDir: "/x", stage, env: "dev", s3: { client, bucket: "b" } };
    s3mock.on(GetObjectCommand).rejects(Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" }));
    expect(await countStateResources(target)).toBe(0);
    s3mock.on(GetObjectCommand).rejects(Object.assign(new Error("AccessDenied"), { name: "AccessDenied" }));
    expect(await countStateResources(target)).toBeUndefined();
  });
});
