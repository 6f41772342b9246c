import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/core/catalog/catalog.js";
import { GPU_QUOTAS, gpuQuotaNeed } from "../../src/core/doctor/gpu-quota.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

// Issue 17 point 2: new accounts often have a zero G/VT vCPU quota; Karpenter then never launches
// a GPU node. doctor reads both quotas and names the exact increase to request.

const NOW = Date.parse("2026-11-26T12:00:00Z");
const sts = mockClient(STSClient);
const quotas = mockClient(ServiceQuotasClient);
const catalogText = readFileSync(join(repoRoot, "templates", "models.yaml"), "utf8");

function tfvars(gpuNodeLimit?: number): string {
  return `region = "eu-west-1"
shared_config = { resources_prefix = "ai-platform" }
cluster_config = {
  ${gpuNodeLimit === undefined ? "" : `gpu_node_limit = ${gpuNodeLimit}`}
  capabilities_config = {
    argocd_idc_instance_arn = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
    argocd_rbac_mappings = [{ role = "ADMIN", identities = [{ id = "906744a8-1234-5678-9abc-def012345678", type = "SSO_USER" }] }]
  }
}
`;
}

function quota(code: string, value: number) {
  quotas
    .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: code })
    .resolves({ Quota: { Value: value } });
}

async function doctor(vars = tfvars()) {
  const repo = makeTestRepo({
    files: { "terraform/00.global/vars/dev.tfvars": vars, "templates/models.yaml": catalogText },
  });
  const run = await runCli(["--env", "dev", "doctor", "--json"], {
    cwd: repo.dir,
    clock: { now: () => NOW, sleep: async () => {} },
    adapters: {
      aws: testAwsFactory({ expiration: new Date(NOW + 300 * 60_000) }),
      awsProfile: testAwsProfile({ region: undefined }),
    },
  });
  const checks = run.json().checks as Array<{ id: string; status: string; detail: string; fix?: string }>;
  const found = checks.find((c) => c.id === "gpu-quota");
  if (!found) throw new Error("no gpu-quota check");
  return { run, check: found };
}

beforeEach(() => {
  sts.reset();
  quotas.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:user/me" });
});
afterEach(() => {
  sts.reset();
  quotas.reset();
});

describe("GPU quota need", () => {
  it("is the largest catalog model's node or the NodePool limit on 1-GPU nodes, whichever is more", () => {
    const catalog = parseCatalog(catalogText);
    const need = gpuQuotaNeed(catalog, 16);
    expect(need.smallestNode).toMatchObject({
      instanceType: expect.stringMatching(/^g[56]e?\.xlarge$/),
      vcpu: 4,
    });
    // The biggest catalog models need 4 GPUs on the family that fits them with the fewest vCPUs
    // (a *.12xlarge, 48 vCPUs: e.g. a 70B model on 4 L40S instead of 8 A10G on a 192-vCPU g5.48xlarge).
    expect(need.largestModel?.gpus).toBe(4);
    expect(need.largestModel?.vcpu).toBe(48);
    expect(need.poolLimit).toEqual({ gpus: 16, vcpu: 64 });
    expect(need.recommended).toBe(64);
    expect(gpuQuotaNeed(catalog, 64).recommended).toBe(256);
    expect(gpuQuotaNeed([], 2).recommended).toBe(8);
  });
});

describe("aiplat doctor: GPU quota", () => {
  it("fails a zero on-demand quota, with the exact request to file, and exits 4", async () => {
    quota(GPU_QUOTAS.onDemand.code, 0);
    quota(GPU_QUOTAS.spot.code, 0);
    const { run, check } = await doctor();
    expect(run.exitCode).toBe(4);
    expect(check.status).toBe("fail");
    expect(check.detail).toContain("Running On-Demand G and VT instances (L-DB2E81BA) in eu-west-1: 0 vCPUs");
    expect(check.detail).toContain("not even one GPU node");
    expect(check.fix).toContain(
      "aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-DB2E81BA --desired-value 64 --region eu-west-1",
    );
    // The spot quota is reported, not required: the gpu-inference pool is on-demand.
    expect(check.detail).toContain("spot 0 vCPUs");
  });

  it("warns when small endpoints fit but the largest catalog model or the pool limit does not", async () => {
    quota(GPU_QUOTAS.onDemand.code, 8);
    quota(GPU_QUOTAS.spot.code, 32);
    const { run, check } = await doctor(tfvars(32));
    expect(run.exitCode).toBe(0);
    expect(check.status).toBe("warn");
    expect(check.detail).toMatch(/needs 48 \(4 GPUs on g[56]e?\.12xlarge\)/);
    expect(check.detail).toContain("the NodePool limit of 32 GPUs needs 128");
    expect(check.fix).toContain("--desired-value 128 --region eu-west-1");
  });

  it("is ok when the quota covers both", async () => {
    quota(GPU_QUOTAS.onDemand.code, 64);
    const { check } = await doctor();
    expect(check.status).toBe("ok");
  });

  it("falls back to the AWS default when the account never had a value applied", async () => {
    quotas
      .on(GetServiceQuotaCommand)
      .rejects(Object.assign(new Error("no applied quota"), { name: "NoSuchResourceException" }));
    quotas.on(GetAWSDefaultServiceQuotaCommand).resolves({ Quota: { Value: 0 } });
    const { check } = await doctor();
    expect(check.status).toBe("fail");
    expect(check.detail).toContain(": 0 vCPUs");
  });

  it("warns, naming the permission, when Service Quotas cannot be read", async () => {
    quotas.on(GetServiceQuotaCommand).rejects(
      Object.assign(new Error("not authorized to perform servicequotas:GetServiceQuota"), {
        name: "AccessDeniedException",
      }),
    );
    const { run, check } = await doctor();
    expect(run.exitCode).toBe(0);
    expect(check.status).toBe("warn");
    expect(check.fix).toContain("servicequotas:GetServiceQuota");
    expect(check.fix).toContain("at least 64 vCPUs");
  });
});
