import { spawnSync } from "node:child_process";
import { copyFileSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";
import { filledExampleTfvars } from "./support/example-tfvars.js";
import {
  findStages,
  loadStages,
  parseHcl,
  remoteStateReferences,
  type StageConfig,
  variableReferences,
} from "./support/terraform-load.js";

const terraformRoot = join(repoRoot, "terraform");
const exampleTfvars = join(terraformRoot, "00.global/vars/example.tfvars");

/** Stage copies of the shared files that differ from terraform/00.global. */
function findDriftedCopies(root: string): string[] {
  const drifted: string[] = [];
  for (const [canonical, copy] of [
    ["variables.tf", "global-variables.tf"],
    ["common.tf", "global-common.tf"],
  ] as const) {
    const expected = readFileSync(join(root, "00.global", canonical), "utf8");
    for (const stage of findStages(root)) {
      let actual = "";
      try {
        actual = readFileSync(join(root, stage, copy), "utf8");
      } catch {
        // missing counts as drifted
      }
      if (actual !== expected) drifted.push(`${stage}/${copy}`);
    }
  }
  return drifted;
}

describe("variables shared by every stage", () => {
  let stages: StageConfig[] = [];
  let tfvars: Record<string, unknown> = {};
  beforeAll(async () => {
    stages = await loadStages(terraformRoot);
    tfvars = await parseHcl("example.tfvars", readFileSync(exampleTfvars, "utf8"));
  });

  test("every stage carries an identical copy of 00.global/variables.tf and 00.global/common.tf", () => {
    expect(findDriftedCopies(terraformRoot)).toEqual([]);
  });

  test("the stage copies are symlinks into 00.global, so there is one text to edit", () => {
    for (const stage of findStages(terraformRoot)) {
      for (const [copy, canonical] of [
        ["global-variables.tf", "variables.tf"],
        ["global-common.tf", "common.tf"],
      ] as const) {
        const path = join(terraformRoot, stage, copy);
        expect(lstatSync(path).isSymbolicLink(), `${stage}/${copy}`).toBe(true);
        expect(resolve(dirname(path), readlinkSync(path))).toBe(join(terraformRoot, "00.global", canonical));
      }
    }
  });

  test("a copy that drifts from 00.global is reported by stage and file", () => {
    const root = makeTempDir();
    mkdirSync(join(root, "00.global"), { recursive: true });
    mkdirSync(join(root, "10.a"), { recursive: true });
    writeFileSync(join(root, "00.global/variables.tf"), 'variable "region" {}\n');
    writeFileSync(join(root, "00.global/common.tf"), "locals {}\n");
    writeFileSync(join(root, "10.a/backend.tf"), "terraform {}\n");
    writeFileSync(join(root, "10.a/global-variables.tf"), 'variable "region" {}\nvariable "old" {}\n');
    copyFileSync(join(root, "00.global/common.tf"), join(root, "10.a/global-common.tf"));
    expect(findDriftedCopies(root)).toEqual(["10.a/global-variables.tf"]);
  });

  test("example.tfvars holds every key of the configuration contract", () => {
    expect(Object.keys(tfvars).sort()).toEqual(
      ["cluster_config", "observability_configuration", "region", "shared_config", "tags", "vpc_cidr"].sort(),
    );
    const cluster = tfvars.cluster_config as Record<string, Record<string, unknown>>;
    expect(Object.keys(cluster).sort()).toEqual(
      [
        "capabilities",
        "capabilities_config",
        "create_mng_system",
        "eks_auto_mode",
        "gpu_node_limit",
        "kubernetes_version",
        "model_cache",
        "node_ami_alias",
        "private_eks_cluster",
        "public_access_cidrs",
      ].sort(),
    );
    expect(Object.keys(cluster.capabilities ?? {}).sort()).toEqual(
      [
        "ack",
        "autoscaling",
        "blockstorage",
        "coredns",
        "gitops",
        "identity",
        "kro",
        "kube_proxy",
        "loadbalancing",
        "networking",
      ].sort(),
    );
    expect(Object.keys(cluster.capabilities_config ?? {})).toEqual(
      expect.arrayContaining(["argocd_idc_instance_arn", "argocd_idc_region", "argocd_rbac_mappings"]),
    );
    expect(Object.keys(tfvars.observability_configuration as object)).toEqual(
      expect.arrayContaining(["aws_native_tooling", "aws_oss_tooling"]),
    );
    expect(tfvars.shared_config).toEqual({ resources_prefix: "ai-platform" });
    // The Docker Hub token is secret: only a commented example, never a value.
    expect(tfvars).not.toHaveProperty("docker_hub_access_token");
    expect(readFileSync(exampleTfvars, "utf8")).toMatch(/^# docker_hub_access_token = "dckr_pat_\.\.\."$/m);
  });

  test("every stage declares every variable of the var files, including the optional Docker Hub ones", () => {
    const secretKeys = ["docker_hub_username", "docker_hub_access_token"];
    for (const stage of stages) {
      for (const key of [...Object.keys(tfvars), ...secretKeys, "state_bucket", "state_region"]) {
        expect(stage.variables.has(key), `${stage.stage} does not declare "${key}"`).toBe(true);
      }
    }
  });

  test("every var.<name> a stage uses is declared in that stage", () => {
    const missing = stages.flatMap((s) =>
      variableReferences(s)
        .filter((r) => !s.variables.has(r.parts[0] ?? ""))
        .map((r) => `${s.stage}/${r.file}: var.${r.parts[0]}`),
    );
    expect(missing).toEqual([]);
  });

  test("the Docker Hub token is sensitive and ephemeral (never printed, in no plan file and no state)", async () => {
    const json = await parseHcl(
      "variables.tf",
      readFileSync(join(terraformRoot, "00.global/variables.tf"), "utf8"),
    );
    const declared = json.variable as Record<string, Array<Record<string, unknown>>>;
    const [token] = declared.docker_hub_access_token ?? [];
    expect(token?.sensitive).toBe(true);
    expect(token?.ephemeral).toBe(true);
    expect(token?.default).toBeNull();
    expect(declared).not.toHaveProperty("docker_hub_credentials");
  });

  test("the Docker Hub token is only used in write-only arguments (*_wo) and its own validation", () => {
    const uses: string[][] = [];
    const walk = (value: unknown, path: string[]): void => {
      if (typeof value === "string") {
        if (value.includes("var.docker_hub_access_token")) uses.push(path);
      } else if (value && typeof value === "object") {
        // Arrays too: their entries' keys are the indexes.
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      }
    };
    for (const stage of stages) for (const file of stage.files) walk(file.json, [stage.stage, file.name]);
    const misplaced = uses.filter(
      (path) =>
        !path.some((key) => key.endsWith("_wo")) &&
        !(path[2] === "variable" && path[3] === "docker_hub_access_token"),
    );
    expect(misplaced.map((p) => p.join("."))).toEqual([]);
    expect(
      uses.filter((path) => path.includes("secret_string_wo")).map((p) => p.slice(0, 2).join("/")),
    ).toEqual(["30.eks/30.cluster/pull-through-cache.tf"]);
  });

  test("every data.terraform_remote_state.<s>.outputs.<o> names an earlier stage and an output it declares", () => {
    const byStage = new Map(stages.map((s) => [s.stage, s]));
    const order = stages.map((s) => s.stage);
    const problems: string[] = [];
    let checked = 0;
    for (const stage of stages) {
      for (const ref of remoteStateReferences(stage)) {
        const [source = "", output = ""] = ref.parts;
        const key = stage.remoteStates.get(source);
        const producer = key?.replace(/\/terraform\.tfstate$/, "");
        const target = producer === undefined ? undefined : byStage.get(producer);
        checked++;
        if (!target)
          problems.push(`${stage.stage}/${ref.file}: remote state "${source}" has key "${key}", not a stage`);
        else if (order.indexOf(target.stage) >= order.indexOf(stage.stage)) {
          problems.push(`${stage.stage}: reads ${target.stage}, which is applied later`);
        } else if (!target.outputs.has(output)) {
          problems.push(`${stage.stage}/${ref.file}: ${target.stage} has no output "${output}"`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  test("the remote-state check reports an output the producing stage lacks", () => {
    const stage = stages.find((s) => s.stage === "30.eks/35.addons");
    expect(stage).toBeDefined();
    const producer = stages.find((s) => s.stage === "30.eks/30.cluster");
    const refs = remoteStateReferences(stage!).filter((r) => r.parts[0] === "cluster");
    expect(refs.map((r) => r.parts[1])).toContain("cluster_version");
    const withoutOutput = new Set([...(producer?.outputs ?? [])].filter((o) => o !== "cluster_version"));
    expect(refs.filter((r) => !withoutOutput.has(r.parts[1] ?? "")).map((r) => r.parts[1])).toEqual([
      "cluster_version",
    ]);
  });
});

/** Runs `terraform plan` on the variable declarations alone: types and validation rules, offline. */
function planVariables(varFile: string): { status: number | null; output: string } {
  const dir = makeTempDir();
  copyFileSync(join(terraformRoot, "00.global/variables.tf"), join(dir, "variables.tf"));
  const env = { ...process.env, ...terraformTestEnv() };
  const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env });
  const init = run(["init", "-input=false", "-no-color"]);
  if (init.status !== 0) return { status: init.status, output: init.stderr };
  const plan = run(["plan", "-input=false", "-no-color", "-lock=false", `-var-file=${varFile}`]);
  return { status: plan.status, output: `${plan.stdout}${plan.stderr}`.replace(/\s+/g, " ") };
}

describe.skipIf(!hasTerraform())(
  `tfvars against the declared types and validation rules${skipNote("terraform", hasTerraform())}`,
  () => {
    test("example.tfvars, once its placeholders are filled, satisfies every type and validation rule", () => {
      const { status, output } = planVariables(filledExampleTfvars());
      expect(output).not.toMatch(/Error/);
      expect(status).toBe(0);
    });

    test("example.tfvars as shipped is rejected for its placeholders (not at CreateCapability later)", () => {
      const { status, output } = planVariables(exampleTfvars);
      expect(status).not.toBe(0);
      expect(output).toContain("still holds an example placeholder");
    });

    test("bad values are rejected with a message naming the setting", () => {
      const dir = makeTempDir();
      const bad = join(dir, "bad.tfvars");
      writeFileSync(
        bad,
        `region = "Frankfurt"
vpc_cidr = "10.4.1.0/16"
shared_config = { resources_prefix = "AI_Platform" }
cluster_config = {
  kubernetes_version = "1.35.2"
  gpu_node_limit = 2.5
  capabilities = {}
  capabilities_config = {
    argocd_idc_instance_arn = "ssoins-123"
    argocd_idc_region = "us-east-1"
    argocd_rbac_mappings = [{ role = "OWNER", identities = [{ id = "u-1", type = "IAM_USER" }] }]
  }
}
docker_hub_username = "me"
docker_hub_access_token = ""
`,
      );
      const { status, output } = planVariables(bad);
      expect(status).not.toBe(0);
      for (const message of [
        "region must be an AWS region name",
        "vpc_cidr must start on its network address",
        "shared_config.resources_prefix must be",
        "kubernetes_version must be <major>.<minor>",
        "gpu_node_limit must be a whole number of GPUs",
        "role must be ADMIN, EDITOR or VIEWER",
        "type of SSO_USER or SSO_GROUP",
        "With capabilities.gitops = true",
        "docker_hub_username and docker_hub_access_token go together",
      ]) {
        expect(output).toContain(message);
      }
    });

    test("a VPC too small for the subnet plan and an inconsistent cluster setup are rejected", () => {
      const dir = makeTempDir();
      const bad = join(dir, "bad.tfvars");
      writeFileSync(
        bad,
        `region = "eu-central-1"
vpc_cidr = "10.4.0.0/20"
shared_config = { resources_prefix = "ai-platform" }
cluster_config = {
  kubernetes_version = "1.35"
  create_mng_system = false
  capabilities = { identity = false, gitops = false }
}
`,
      );
      const { status, output } = planVariables(bad);
      expect(status).not.toBe(0);
      expect(output).toContain("prefix length between /16 and /18");
      expect(output).toContain("set capabilities.identity = true");
      expect(output).toContain("set create_mng_system = true");
    });
  },
);
