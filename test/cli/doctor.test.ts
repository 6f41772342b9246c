import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Adapters } from "../../src/cli/context.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeFakePath } from "../support/fake-bin.js";
import { makeTestRepo } from "../support/git-repo.js";
import { STUB_TOKEN, startStubKubeApi } from "../support/stub-kube-api.js";
import { makeTempDir } from "../support/temp.js";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const clock = { now: () => NOW, sleep: async () => {} };
const sts = mockClient(STSClient);
const quotas = mockClient(ServiceQuotasClient);

const FILLED = `region = "eu-central-1"
shared_config = { resources_prefix = "ai-platform" }
cluster_config = {
  capabilities_config = {
    argocd_idc_instance_arn = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
    argocd_rbac_mappings = [{ role = "ADMIN", identities = [{ id = "906744a8-1234-5678-9abc-def012345678", type = "SSO_USER" }] }]
  }
}
`;

interface Setup {
  tfvars?: string | undefined;
  remote?: boolean;
  terraform?: "real" | "missing" | "old";
  expiresInMinutes?: number | undefined;
  stsError?: Error;
  sso?: boolean;
  kubeconfig?: string;
  argocdRepoUrl?: string;
}

async function doctor(setup: Setup, extraArgs: string[] = []) {
  const repo = makeTestRepo();
  if (setup.remote === false) repo.git("remote", "remove", "origin");
  if (setup.tfvars !== undefined) {
    mkdirSync(join(repo.dir, "terraform", "00.global", "vars"), { recursive: true });
    writeFileSync(join(repo.dir, "terraform", "00.global", "vars", "dev.tfvars"), setup.tfvars);
  }
  if (setup.argocdRepoUrl !== undefined) {
    writeFileSync(
      join(repo.dir, "argocd", "workloads.yaml"),
      `spec:\n  source:\n    repoURL: ${setup.argocdRepoUrl}\n`,
    );
  }
  const terraform = setup.terraform ?? "real";
  const path = makeFakePath({
    real: terraform === "real" ? ["git", "terraform"] : ["git"],
    scripts: terraform === "old" ? { terraform: `echo '{"terraform_version":"1.9.8"}'` } : {},
  });
  const home = makeTempDir();
  writeFileSync(join(home, "terraformrc"), "");
  const adapters: Partial<Adapters> = {
    aws: testAwsFactory(
      setup.expiresInMinutes === undefined
        ? {}
        : { expiration: new Date(NOW + setup.expiresInMinutes * 60_000) },
    ),
    awsProfile: testAwsProfile({ sso: setup.sso ?? true, region: undefined }),
  };
  if (setup.stsError) sts.on(GetCallerIdentityCommand).rejects(setup.stsError);
  return runCli(["doctor", ...extraArgs, ...(setup.kubeconfig ? ["--kubeconfig", setup.kubeconfig] : [])], {
    cwd: repo.dir,
    env: {
      PATH: path,
      HOME: home,
      NO_COLOR: "1",
      TF_CLI_CONFIG_FILE: join(home, "terraformrc"),
      CHECKPOINT_DISABLE: "1",
    },
    clock,
    adapters,
  });
}

function check(run: Awaited<ReturnType<typeof doctor>>, id: string) {
  const checks = run.json().checks as Array<{ id: string; status: string; detail: string; fix?: string }>;
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

beforeEach(() => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({
    Account: "123456789012",
    Arn: "arn:aws:sts::123456789012:assumed-role/Admin/me",
    UserId: "x",
  });
  // A GPU quota large enough for everything (test/cli/doctor-gpu-quota.test.ts covers the rest).
  quotas.reset();
  quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 1024 } });
});
afterEach(() => {
  sts.reset();
  quotas.reset();
});

describe("aiplat doctor", () => {
  it("passes every check on a configured machine, and exits 0", async () => {
    const api = await startStubKubeApi({ hfToken: true });
    try {
      const run = await doctor({ tfvars: FILLED, expiresInMinutes: 300, kubeconfig: api.kubeconfig }, [
        "--json",
      ]);
      expect(run.exitCode).toBe(0);
      const doc = run.json();
      expect(doc.ok).toBe(true);
      const statuses = Object.fromEntries(
        (doc.checks as Array<{ id: string; status: string }>).map((c) => [c.id, c.status]),
      );
      expect(statuses).toEqual({
        node: "ok",
        terraform: "ok",
        repository: "ok",
        git: "ok",
        "secrets-ignored": "ok",
        tfvars: "ok",
        region: "ok",
        "argocd-repo": "skip",
        "aws-credentials": "ok",
        "gpu-quota": "ok",
        cluster: "ok",
        "hf-token": "ok",
      });
      expect(check(run, "cluster").detail).toContain("v1.32.4");
      // Every request carried the kubeconfig's token (the stub refuses any other).
      expect(api.requests.length).toBeGreaterThan(0);
      expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${STUB_TOKEN}`]));
    } finally {
      await api.close();
    }
  });

  it("prints one line per check with the fix under each failure, in human mode", async () => {
    const run = await doctor({ terraform: "missing", remote: false });
    expect(run.exitCode).toBe(4);
    expect(run.stdout).toMatch(/fail\s+Terraform\s+not found on PATH/);
    expect(run.stdout).toContain("fix: Install Terraform 1.11.0 or newer.");
    expect(run.stdout).toContain("fix: git remote add origin");
    expect(run.stderr).toContain("checks failed: terraform, git");
  });

  it("fails on a Terraform older than the stages require", async () => {
    const run = await doctor({ terraform: "old", tfvars: FILLED }, ["--json"]);
    expect(check(run, "terraform")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("1.9.8"),
    });
    expect(run.exitCode).toBe(4);
  });

  it("warns, without failing, when the SSO session ends within the hour, naming aws sso login --profile", async () => {
    const run = await doctor({ tfvars: FILLED, expiresInMinutes: 20 }, ["--json"]);
    expect(check(run, "aws-credentials")).toMatchObject({
      status: "warn",
      fix: expect.stringContaining("aws sso login --profile platform"),
    });
    expect(run.exitCode).toBe(0);
  });

  it("fails on expired credentials with the re-login command", async () => {
    const run = await doctor(
      {
        tfvars: FILLED,
        stsError: Object.assign(new Error("The SSO session associated with this profile has expired"), {
          name: "ExpiredToken",
        }),
      },
      ["--json"],
    );
    expect(check(run, "aws-credentials")).toMatchObject({
      status: "fail",
      fix: "aws sso login --profile platform",
    });
    expect(run.exitCode).toBe(4);
  });

  it("lists unfilled tfvars placeholders by key", async () => {
    const tfvars = FILLED.replace("ssoins-7223a1b2c3d4e5f6", "ssoins-XXXXXXXXXX").replace(
      "906744a8-1234-5678-9abc-def012345678",
      "your-sso-user-id",
    );
    const run = await doctor({ tfvars }, ["--json"]);
    const tf = check(run, "tfvars");
    expect(tf.status).toBe("fail");
    expect(tf.detail).toContain("cluster_config.capabilities_config.argocd_idc_instance_arn");
    expect(tf.detail).toContain("argocd_rbac_mappings[0].identities[0].id");
    expect(tf.fix).toBe("aiplat init --env dev");
  });

  it("says the configuration does not exist yet instead of failing strangely", async () => {
    const run = await doctor({}, ["--json"]);
    expect(check(run, "tfvars")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining("does not exist yet"),
      fix: "aiplat init --env dev",
    });
    // The fix keeps the user's own --root (issue 18 point 12: hints never drop the flags given).
    const rooted = await doctor({}, ["--json", "--root", "."]);
    expect(check(rooted, "tfvars").fix).toBe("aiplat init --env dev --root .");
    expect(check(run, "region")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("aiplat init"),
    });
  });

  it("flags argocd/ Applications still pointing at the placeholder repository", async () => {
    const run = await doctor(
      { tfvars: FILLED, argocdRepoUrl: "https://example.invalid/set-by-aiplat-init.git" },
      ["--json"],
    );
    expect(check(run, "argocd-repo")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("workloads.yaml"),
      fix: "aiplat init",
    });
  });

  it("skips the cluster checks with a reason when there is no cluster yet", async () => {
    const run = await doctor({ tfvars: FILLED }, ["--json"]);
    expect(check(run, "cluster")).toMatchObject({
      status: "skip",
      detail: expect.stringContaining("aiplat up"),
    });
    expect(check(run, "hf-token").status).toBe("skip");
  });

  it("fails an unreachable cluster and warns about a missing hf-token with a command that keeps it off argv", async () => {
    const api = await startStubKubeApi({ hfToken: false });
    const missing = await doctor({ tfvars: FILLED, kubeconfig: api.kubeconfig }, ["--json"]);
    expect(check(missing, "hf-token")).toMatchObject({
      status: "warn",
      fix: `aiplat secret hf-token --kubeconfig ${api.kubeconfig}`,
    });
    await api.close();
    const down = await doctor({ tfvars: FILLED, kubeconfig: api.kubeconfig }, ["--json"]);
    expect(check(down, "cluster")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("fails the cluster check when the API server refuses the kubeconfig's credentials (401)", async () => {
    const api = await startStubKubeApi({ hfToken: true, kubeconfigToken: "expired-token" });
    try {
      const run = await doctor({ tfvars: FILLED, expiresInMinutes: 300, kubeconfig: api.kubeconfig }, [
        "--json",
      ]);
      expect(check(run, "cluster")).toMatchObject({ status: "fail" });
      expect(`${check(run, "cluster").detail} ${check(run, "cluster").fix}`).toMatch(/401|Unauthorized/);
      expect(api.requests.every((r) => r.authorization === "Bearer expired-token")).toBe(true);
      expect(run.exitCode).not.toBe(0);
    } finally {
      await api.close();
    }
  });

  it("fails on a Node.js older than 20.19", async () => {
    const repo = makeTestRepo();
    const run = await runCli(["doctor", "--json"], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
      clock,
      nodeVersion: "20.18.1",
    });
    expect(check(run, "node")).toMatchObject({ status: "fail", fix: expect.stringContaining("20.19") });
    expect(run.exitCode).toBe(4);
  });

  it("accepts argocd/ Applications that point at a real repository", async () => {
    const run = await doctor({ tfvars: FILLED, argocdRepoUrl: "https://github.com/acme/aiplat.git" }, [
      "--json",
    ]);
    expect(check(run, "argocd-repo")).toMatchObject({ status: "ok" });
  });

  it("fails the git check in a platform folder that is not a git working copy", async () => {
    const dir = makeTempDir();
    for (const name of ["terraform", "platform", "argocd"]) mkdirSync(join(dir, name));
    const run = await runCli(["doctor", "--json"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: makeTempDir(),
        GIT_CEILING_DIRECTORIES: dir.split("/").slice(0, -1).join("/"),
      },
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
      clock,
    });
    expect(check(run, "git")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("not a git repository"),
    });
  });

  it("fails the repository check outside a platform repository", async () => {
    const run = await runCli(["doctor", "--json"], {
      cwd: makeTempDir(),
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
      clock,
    });
    expect(check(run, "repository")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("--root"),
    });
    expect(check(run, "git").status).toBe("skip");
  });
});
