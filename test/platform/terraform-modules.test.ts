import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { repoRoot, sharedAvailable, sharedModulesDir } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { allows, lowestCommonVersion } from "./support/terraform-constraints.js";
import { asArray, asRecord, loadStage, loadStages, type StageConfig } from "./support/terraform-load.js";
import {
  checkStageModules,
  type Finding,
  loadModuleInterfaces,
  type ModuleInterface,
  objectTypeAttributes,
} from "./support/terraform-modules.js";

const terraformRoot = join(repoRoot, "terraform");
const haveData = sharedAvailable("terraform-modules");
const skipReason = haveData
  ? ""
  : " (skipped: ../shared/terraform-modules is absent, module interfaces unknown)";

function summarize(findings: Finding[]): string[] {
  return findings.map(
    (f) => `${f.stage}/${f.file}${f.module ? ` module.${f.module}` : ""}: ${f.kind} ${f.name}`,
  );
}

/** Copies a stage to a temp terraform/ root and applies text edits to its files. */
async function editedStage(
  stage: string,
  edits: Record<string, Array<[string, string]>>,
): Promise<StageConfig> {
  const root = makeTempDir();
  cpSync(join(terraformRoot, stage), join(root, stage), { recursive: true });
  for (const [file, replacements] of Object.entries(edits)) {
    const path = join(root, stage, file);
    let text = readFileSync(path, "utf8");
    for (const [from, to] of replacements) {
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    writeFileSync(path, text);
  }
  return loadStage(root, stage);
}

describe("version constraints", () => {
  test("~> pins within a major (two parts) or a minor (three parts)", () => {
    expect(allows("~> 6.28", "6.99.0")).toBe(true);
    expect(allows("~> 6.28", "7.0.0")).toBe(false);
    expect(allows("~> 6.28", "6.27.9")).toBe(false);
    expect(allows("~> 6.28.1", "6.29.0")).toBe(false);
    expect(allows(">= 1.11, < 2.0", "1.10.5")).toBe(false);
  });

  test("several constraints are satisfiable together only when their ranges overlap", () => {
    expect(lowestCommonVersion(["~> 6.28", ">= 6.28", ">= 5.0"])).toEqual([6, 28, 0]);
    expect(lowestCommonVersion(["~> 5.90", ">= 6.28"])).toBeUndefined();
    expect(lowestCommonVersion(["> 3.0", "< 3.0.2"])).toEqual([3, 0, 1]);
  });
});

describe.skipIf(!haveData)(`module calls against the modules' declared interfaces${skipReason}`, () => {
  let interfaces: ModuleInterface[] = [];
  let stages: StageConfig[] = [];
  beforeAll(async () => {
    interfaces = loadModuleInterfaces(sharedModulesDir);
    stages = await loadStages(terraformRoot);
  });

  test("every module call in terraform/ passes: known version, declared inputs only, required inputs given, outputs exist, providers and Terraform compatible", () => {
    const findings = stages.flatMap((s) => checkStageModules(s, interfaces));
    expect(summarize(findings)).toEqual([]);
  });

  test("every registry module is pinned to the tag its interface data describes", () => {
    const calls = stages.flatMap((s) => s.modules.map((m) => `${m.body.source}@${m.body.version}`));
    expect(new Set(calls)).toEqual(
      new Set([
        "terraform-aws-modules/vpc/aws@6.6.0",
        "terraform-aws-modules/eks/aws@21.19.0",
        "terraform-aws-modules/eks/aws//modules/karpenter@21.19.0",
        "aws-ia/eks-blueprints-addons/aws@1.24.3",
      ]),
    );
    for (const call of calls) {
      const [source, version] = call.split("@");
      expect(
        interfaces.some((i) => i.module === source && i.tag === `v${version}`),
        `${call} has interface data`,
      ).toBe(true);
    }
  });

  test("a v20-style input and a misspelled output are reported with file, module and name", async () => {
    const stage = await editedStage("30.eks/30.cluster", {
      "eks.tf": [
        ["  name               = local.cluster_name", "  cluster_name       = local.cluster_name"],
        [
          "  kubernetes_version = var.cluster_config.kubernetes_version",
          "  cluster_version = var.cluster_config.kubernetes_version",
        ],
      ],
      "outputs.tf": [["module.eks.cluster_endpoint", "module.eks.cluster_endpont"]],
    });
    const findings = checkStageModules(stage, interfaces);
    expect(summarize(findings)).toEqual(
      expect.arrayContaining([
        "30.eks/30.cluster/eks.tf module.eks: unknown-input cluster_name",
        "30.eks/30.cluster/eks.tf module.eks: unknown-input cluster_version",
        "30.eks/30.cluster/outputs.tf module.eks: unknown-output cluster_endpont",
      ]),
    );
    expect(findings).toHaveLength(3);
    expect(findings[0]?.message).toContain("terraform-aws-modules/eks/aws v21.19.0");
  });

  test("a missing required input is reported", async () => {
    const stage = await editedStage("30.eks/35.addons", {
      "main.tf": [["  oidc_provider_arn = local.cluster.oidc_provider_arn\n", ""]],
    });
    expect(summarize(checkStageModules(stage, interfaces))).toEqual([
      "30.eks/35.addons/main.tf module.eks_blueprints_addons: missing-input oidc_provider_arn",
    ]);
  });

  test("a module without interface data, or not pinned exactly, is reported by name", async () => {
    const stage = await editedStage("30.eks/30.cluster", {
      "karpenter.tf": [['  version = "21.19.0"', '  version = "21.99.0"']],
      "eks.tf": [['  version = "21.19.0"', '  version = "~> 21.0"']],
    });
    expect(summarize(checkStageModules(stage, interfaces))).toEqual([
      "30.eks/30.cluster/eks.tf module.eks: unpinned-module ~> 21.0",
      "30.eks/30.cluster/karpenter.tf module.karpenter: no-interface-data terraform-aws-modules/eks/aws//modules/karpenter@21.99.0",
    ]);
  });

  test("a stage pin that no module-compatible provider version satisfies is reported (aws 5.x with eks v21)", async () => {
    const stage = await editedStage("30.eks/30.cluster", {
      "versions.tf": [
        ['version = "~> 6.28"', 'version = "~> 5.90"'],
        ['required_version = ">= 1.11, < 2.0"', 'required_version = ">= 1.5.7"'],
      ],
    });
    const findings = summarize(checkStageModules(stage, interfaces));
    expect(findings).toEqual(
      expect.arrayContaining([
        "30.eks/30.cluster/eks.tf module.eks: provider-conflict hashicorp/aws",
        "30.eks/30.cluster/karpenter.tf module.karpenter: provider-conflict hashicorp/aws",
        "30.eks/30.cluster/versions.tf: terraform-version >= 1.5.7",
      ]),
    );
  });

  test("a provider a module needs but the stage does not pin is reported (helm for eks-blueprints-addons)", async () => {
    const stage = await editedStage("30.eks/35.addons", {
      "versions.tf": [['      source  = "hashicorp/helm"', '      source  = "example/helm"']],
    });
    expect(summarize(checkStageModules(stage, interfaces))).toEqual([
      "30.eks/35.addons/main.tf module.eks_blueprints_addons: provider-not-declared hashicorp/helm",
    ]);
  });

  test("object values passed to the eks module use only attributes its types declare (extra ones are silently dropped)", () => {
    const eks = interfaces.find((i) => i.module === "terraform-aws-modules/eks/aws");
    const cluster = stages.find((s) => s.stage === "30.eks/30.cluster");
    const locals = Object.assign(
      {},
      ...(cluster?.files.flatMap((f) => asArray(f.json.locals)).map((l) => asRecord(l)) ?? []),
    ) as Record<string, unknown>;
    const nodeGroupAttrs = objectTypeAttributes(eks?.inputs.eks_managed_node_groups?.type ?? "");
    expect(nodeGroupAttrs).toContain("instance_types");
    expect(
      Object.keys(asRecord(locals.system_node_group)).filter((k) => !nodeGroupAttrs.includes(k)),
    ).toEqual([]);
    const addonAttrs = objectTypeAttributes(eks?.inputs.addons?.type ?? "");
    const addonBody = /=>\s*\{([^}]*)\}/.exec(String(locals.eks_addons))?.[1] ?? "";
    const passed = [...addonBody.matchAll(/^\s*(\w+)\s*=/gm)].map((m) => m[1] ?? "");
    expect(passed).toEqual(["before_compute", "pod_identity_association", "configuration_values"]);
    expect(passed.filter((k) => !addonAttrs.includes(k))).toEqual([]);
    // The check itself: a v20-era node group attribute is not in the v21 type.
    expect(nodeGroupAttrs).not.toContain("cluster_version");
  });
});
