import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Adapters } from "../../src/cli/context.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { startKubeServer } from "../support/kube/index.js";
import { makeTempDir } from "../support/temp.js";

// Issue 18, point 12: hints that were wrong, named nothing, or dropped the user's own flags.
const sts = mockClient(STSClient);
const TFVARS = `region = "eu-central-1"\nshared_config = { resources_prefix = "ai-platform" }\n`;

function repoWithTfvars() {
  const repo = makeTestRepo();
  mkdirSync(join(repo.dir, "terraform", "00.global", "vars"), { recursive: true });
  writeFileSync(join(repo.dir, "terraform", "00.global", "vars", "dev.tfvars"), TFVARS);
  return repo;
}

function doctorCheck(run: { json(): Record<string, unknown> }, id: string) {
  const checks = run.json().checks as Array<{ id: string; status: string; fix?: string }>;
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

beforeEach(() => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).rejects(new Error("Could not load credentials from any providers"));
});
afterEach(() => sts.reset());

describe("credential hints", () => {
  it("never suggest `aws configure` (aiplat needs no AWS CLI) and keep prose out of backticks", async () => {
    const repo = repoWithTfvars();
    const adapters: Partial<Adapters> = {
      aws: testAwsFactory(),
      awsProfile: testAwsProfile({ name: undefined, sso: false }),
    };
    const run = await runCli(["doctor", "--json"], { cwd: repo.dir, adapters });
    const fix = doctorCheck(run, "aws-credentials").fix ?? "";
    expect(fix).not.toContain("aws configure");
    expect(fix).toContain("AWS_ACCESS_KEY_ID");
    expect(fix).not.toContain("`");
  });

  it("name an AWS_PROFILE that does not exist", async () => {
    const repo = repoWithTfvars();
    const home = makeTempDir();
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "config"), "[profile platform]\nregion = eu-central-1\n");
    const run = await runCli(["doctor", "--json"], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", AWS_PROFILE: "nosuch" },
      adapters: { aws: testAwsFactory({ credentialError: new Error("Profile nosuch could not be found") }) },
    });
    expect(doctorCheck(run, "aws-credentials")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("AWS_PROFILE=nosuch names no profile"),
    });
  });
});

describe("doctor's HF-token fix", () => {
  it("is aiplat's own command with the user's --kubeconfig, and running it fixes the check", async () => {
    const kube = await startKubeServer();
    try {
      for (const name of ["inference", "ai-platform"]) {
        kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
      }
      const kubeconfig = join(makeTempDir(), "kubeconfig");
      kube.kubeconfig(kubeconfig);
      const repo = repoWithTfvars();
      const adapters: Partial<Adapters> = { aws: testAwsFactory(), awsProfile: testAwsProfile() };
      const before = await runCli(["doctor", "--json", "--kubeconfig", kubeconfig], {
        cwd: repo.dir,
        adapters,
      });
      const fix = doctorCheck(before, "hf-token");
      expect(fix.status).toBe("warn");
      expect(fix.fix).toBe(`aiplat secret hf-token --kubeconfig ${kubeconfig}`);
      expect(fix.fix).not.toContain("kubectl");

      const [, ...argv] = (fix.fix ?? "").split(" ");
      const stored = await runCli(argv, {
        cwd: repo.dir,
        env: {
          PATH: process.env.PATH,
          HOME: makeTempDir(),
          NO_COLOR: "1",
          HF_TOKEN: "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123",
        },
      });
      expect(stored.exitCode).toBe(0);
      const after = await runCli(["doctor", "--json", "--kubeconfig", kubeconfig], {
        cwd: repo.dir,
        adapters,
      });
      expect(doctorCheck(after, "hf-token").status).toBe("ok");
    } finally {
      await kube.stop();
    }
  });
});

describe("duration options", () => {
  it("say the allowed range, for every command that takes one", async () => {
    const repo = repoWithTfvars();
    for (const argv of [
      ["deploy-model", "gemma-4b", "--wait", "--timeout", "0s"],
      ["undeploy-model", "gemma-4b", "--timeout", "0s"],
      ["bootstrap", "--timeout", "0s"],
      ["destroy", "--timeout", "0s"],
      ["deploy-model", "gemma-4b", "--capacity-timeout", "48h"],
    ]) {
      const run = await runCli(["--json", ...argv], { cwd: repo.dir });
      expect(run.exitCode).toBe(2);
      expect(run.json()).toMatchObject({
        error: { message: expect.stringContaining("is not a duration from 1s to 24h") },
      });
    }
  });
});
