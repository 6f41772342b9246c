import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import { readTfvarsAnswers, renderTfvars } from "../../src/core/init/tfvars.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Issue 17 point 9: the public EKS API endpoint was open to 0.0.0.0/0 with no way to narrow it.

const terraformRoot = join(repoRoot, "terraform");
const example = readFileSync(join(terraformRoot, "00.global/vars/example.tfvars"), "utf8");

describe("who may reach the public Kubernetes API", () => {
  test("the cluster passes cluster_config.public_access_cidrs to the EKS module (null when private)", () => {
    const eks = readFileSync(join(terraformRoot, "30.eks/30.cluster/eks.tf"), "utf8");
    expect(eks).toMatch(
      /endpoint_public_access_cidrs = var\.cluster_config\.private_eks_cluster \? null : var\.cluster_config\.public_access_cidrs/,
    );
    expect(example).toMatch(/public_access_cidrs = \["[0-9.]+\/32"\]/);
  });

  test("aiplat init keeps a hand-set public_access_cidrs and node_ami_alias when it rewrites the tfvars", async () => {
    const answers = readTfvarsAnswers(await parseTfvarsText("example.tfvars", example));
    expect(answers.publicAccessCidrs).toEqual(["203.0.113.7/32"]);
    expect(answers.nodeAmiAlias).toMatch(/^al2023@v\d{8}$/);
    const written = renderTfvars("dev", {
      region: "eu-central-1",
      vpcCidr: "10.4.0.0/16",
      prefix: "ai-platform",
      kubernetesVersion: "1.35",
      idcInstanceArn: "",
      idcRegion: "",
      ...answers,
    } as Parameters<typeof renderTfvars>[1]);
    const again = readTfvarsAnswers(await parseTfvarsText("dev.tfvars", written));
    expect(again.publicAccessCidrs).toEqual(["203.0.113.7/32"]);
    expect(again.nodeAmiAlias).toBe(answers.nodeAmiAlias);
  });
});

function plan(clusterExtra: string): { status: number | null; output: string } {
  const dir = makeTempDir();
  copyFileSync(join(terraformRoot, "00.global/variables.tf"), join(dir, "variables.tf"));
  writeFileSync(
    join(dir, "t.tfvars"),
    `region = "eu-central-1"
vpc_cidr = "10.4.0.0/16"
shared_config = { resources_prefix = "ai-platform" }
cluster_config = {
  kubernetes_version = "1.35"
  capabilities = { gitops = false }
  ${clusterExtra}
}
`,
  );
  const env = { ...process.env, ...terraformTestEnv() };
  const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env });
  const init = run(["init", "-input=false", "-no-color"]);
  if (init.status !== 0) return { status: init.status, output: init.stderr };
  const result = run(["plan", "-input=false", "-no-color", "-lock=false", "-var-file=t.tfvars"]);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.replace(/\s+/g, " ") };
}

describe.skipIf(!hasTerraform())(
  `public_access_cidrs validation${skipNote("terraform", hasTerraform())}`,
  () => {
    test("accepts /32 addresses and rejects a non-CIDR, an empty list and @latest AMIs", () => {
      expect(plan('public_access_cidrs = ["203.0.113.7/32", "198.51.100.0/24"]').status).toBe(0);
      for (const bad of ['public_access_cidrs = ["my office"]', "public_access_cidrs = []"]) {
        const { status, output } = plan(bad);
        expect(status).not.toBe(0);
        expect(output).toContain("cluster_config.public_access_cidrs must be a non-empty list of IPv4 CIDRs");
      }
      const latest = plan('node_ami_alias = "al2023@latest"');
      expect(latest.status).not.toBe(0);
      expect(latest.output).toContain("cluster_config.node_ami_alias must be a dated AL2023 release");
    });
  },
);
