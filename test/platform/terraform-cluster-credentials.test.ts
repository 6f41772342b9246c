import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { terraformEnv } from "../../src/cli/up/terraform-env.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";
import { filledExampleTfvars } from "./support/example-tfvars.js";
import { asArray, asRecord, blocksOf, loadStages, type StageConfig } from "./support/terraform-load.js";

// Issue 17 point 1: a token from `ephemeral "aws_eks_cluster_auth"` was made once per run and EKS
// rejects it after 15 minutes, so a long cluster-stage apply failed with Unauthorized. Every
// Kubernetes-facing provider must get its token from an exec plugin (run again on every renewal).

const terraformRoot = join(repoRoot, "terraform");
const kubeProviders = ["kubernetes", "helm", "kubectl"] as const;

interface ProviderUse {
  stage: string;
  provider: string;
  connection: Record<string, unknown>;
}

let stages: StageConfig[];
let uses: ProviderUse[];
beforeAll(async () => {
  stages = await loadStages(terraformRoot);
  uses = [];
  for (const stage of stages) {
    for (const { json } of stage.files) {
      for (const provider of kubeProviders) {
        for (const body of asArray(asRecord(json.provider)[provider])) {
          const record = asRecord(body);
          // helm 3.x: `kubernetes = { ... }` is an attribute (an object), not a block.
          const connection = provider === "helm" ? asRecord(record.kubernetes) : record;
          uses.push({ stage: stage.stage, provider, connection });
        }
      }
    }
  }
});

const execOf = (use: ProviderUse): Record<string, unknown> =>
  asRecord(Array.isArray(use.connection.exec) ? use.connection.exec[0] : use.connection.exec);

describe("cluster credentials of the kubernetes, helm and kubectl providers", () => {
  test("every stage that talks to the cluster uses them (30.cluster, 35.addons, 45)", () => {
    expect(new Set(uses.map((u) => u.stage))).toEqual(
      new Set(["30.eks/30.cluster", "30.eks/35.addons", "40.observability/45.aws-oss-observability"]),
    );
    expect(uses.map((u) => `${u.stage}:${u.provider}`)).toContain("30.eks/30.cluster:kubectl");
  });

  test("no provider takes a one-shot token; each runs `aiplat kubeconfig --exec-credential`", () => {
    const problems: string[] = [];
    for (const use of uses) {
      const where = `${use.stage} provider ${use.provider}`;
      if ("token" in use.connection) problems.push(`${where}: a static token expires after 15 minutes`);
      const exec = execOf(use);
      if (exec.command !== `${"$"}{var.aiplat_cli[0]}`)
        problems.push(`${where}: exec.command is not var.aiplat_cli[0]`);
      const args = String(exec.args ?? "");
      if (
        !/"kubeconfig", "--exec-credential", "--cluster", [^,]+cluster_name, "--region", var\.region/.test(
          args,
        )
      ) {
        problems.push(`${where}: exec.args do not ask aiplat for the cluster's token (${args})`);
      }
      if (exec.api_version !== "client.authentication.k8s.io/v1beta1") problems.push(`${where}: api_version`);
    }
    for (const stage of stages) {
      for (const b of blocksOf(stage, "ephemeral", "aws_eks_cluster_auth")) {
        problems.push(`${stage.stage}/${b.file}: ephemeral aws_eks_cluster_auth.${b.name} is back`);
      }
    }
    expect(problems).toEqual([]);
    expect(uses.length).toBe(6);
  });

  test("aiplat up tells Terraform how to start this aiplat (its node and bin/aiplat.js)", () => {
    const env = terraformEnv({ PATH: "/bin" });
    const command = JSON.parse(env.TF_VAR_aiplat_cli ?? "[]") as string[];
    expect(command[0]).toBe(process.execPath);
    expect(command[1]).toMatch(/bin[/\\]aiplat\.js$/);
    expect(existsSync(command[1] ?? "")).toBe(true);
    // A value the user set (e.g. ["aiplat"] from PATH) wins.
    expect(terraformEnv({ TF_VAR_aiplat_cli: '["aiplat"]' }).TF_VAR_aiplat_cli).toBe('["aiplat"]');
  });
});

describe.skipIf(!hasTerraform())(
  `the argv Terraform builds is one aiplat accepts${skipNote("terraform", hasTerraform())}`,
  () => {
    test("evaluated by terraform from the cluster stage's own expression, it yields an ExecCredential", async () => {
      const kubectl = uses.find((u) => u.stage === "30.eks/30.cluster" && u.provider === "kubectl");
      const argsExpr = String(execOf(kubectl as ProviderUse).args)
        .replace(/^\$\{/, "")
        .replace(/\}$/, "")
        .replace("module.eks.cluster_name", '"ai-platform-dev"');
      const dir = makeTempDir();
      copyFileSync(join(terraformRoot, "00.global/variables.tf"), join(dir, "variables.tf"));
      writeFileSync(
        join(dir, "main.tf"),
        `output "command" {\n  value = var.aiplat_cli[0]\n}\noutput "args" {\n  value = ${argsExpr}\n}\n`,
      );
      const env = { ...process.env, ...terraformTestEnv(), ...terraformEnv({}) };
      const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env });
      expect(run(["init", "-input=false", "-no-color"]).status).toBe(0);
      const apply = run([
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        `-var-file=${filledExampleTfvars()}`,
      ]);
      expect(apply.status, apply.stderr).toBe(0);
      const out = JSON.parse(run(["output", "-json"]).stdout) as Record<string, { value: unknown }>;
      const args = out.args?.value as string[];
      const region = args.at(-1) ?? "";
      expect(region).toMatch(/^[a-z]{2}-[a-z]+-[1-9]$/);
      expect(out.command?.value).toBe(process.execPath);
      expect(args[0]).toMatch(/bin[/\\]aiplat\.js$/);
      expect(args.slice(1)).toEqual([
        "kubeconfig",
        "--exec-credential",
        "--cluster",
        "ai-platform-dev",
        "--region",
        region,
      ]);

      // The same argv against the CLI, in a repository where no cluster.json exists yet (the
      // cluster is created in the very apply that needs the token).
      const repo = makeTestRepo();
      const result = await runCli(args.slice(1), {
        cwd: repo.dir,
        adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const credential = JSON.parse(result.stdout) as { kind: string; status: { token: string } };
      expect(credential.kind).toBe("ExecCredential");
      expect(credential.status.token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
      const decoded = Buffer.from(credential.status.token.slice(11), "base64url").toString("utf8");
      expect(decoded).toContain(`sts.${region}.amazonaws.com`);
      expect(decoded.toLowerCase()).toContain("x-k8s-aws-id");
    });

    test("--cluster without --exec-credential is bad input (exit 2)", async () => {
      const repo = makeTestRepo();
      const result = await runCli(["kubeconfig", "--cluster", "c", "--region", "eu-central-1"], {
        cwd: repo.dir,
        adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("--exec-credential");
    });
  },
);
