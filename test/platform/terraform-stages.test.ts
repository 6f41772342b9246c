import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  describeStage,
  destroyOrder,
  discoverStagePaths,
  isStageEnabled,
  parseStageGate,
  stateKey,
} from "../../src/core/stages/stages.js";
import { repoRoot } from "../support/paths.js";
import { listFiles, parseHcl } from "./support/terraform-load.js";

const terraformRoot = join(repoRoot, "terraform");

const EXPECTED_ORDER = [
  "10.networking",
  "20.iam-roles-for-eks",
  "30.eks/30.cluster",
  "30.eks/35.addons",
  "40.observability/40.aws-native-observability",
  "40.observability/45.aws-oss-observability",
];

describe("stage discovery and ordering (src/core/stages)", () => {
  test("folders holding backend.tf are stages, in sorted order; other folders and .terraform copies are not", () => {
    const files = [
      "30.eks/35.addons/backend.tf",
      "00.global/vars/example.tfvars",
      "10.networking/backend.tf",
      "10.networking/main.tf",
      "30.eks/30.cluster/karpenter/nodepool-default.yaml.tftpl",
      "30.eks/30.cluster/backend.tf",
      "30.eks/30.cluster/.terraform/modules/eks/backend.tf",
      "README.md",
    ];
    expect(discoverStagePaths(files)).toEqual(["10.networking", "30.eks/30.cluster", "30.eks/35.addons"]);
  });

  test("sorting compares path segments, so a nested stage precedes a sibling folder with a longer name", () => {
    expect(discoverStagePaths(["30.eks-extra/backend.tf", "30.eks/35.addons/backend.tf"])).toEqual([
      "30.eks/35.addons",
      "30.eks-extra",
    ]);
  });

  test("destroy runs in the reverse of the apply order", () => {
    expect(destroyOrder(["30.eks/30.cluster", "10.networking", "30.eks/35.addons"])).toEqual([
      "30.eks/35.addons",
      "30.eks/30.cluster",
      "10.networking",
    ]);
  });

  test("a gate is read from a comment marker and only a literal true turns the stage on", () => {
    const gate = parseStageGate(
      "# Optional. aiplat:enabled-when observability_configuration.aws_oss_tooling\nterraform {}\n",
    );
    expect(gate).toEqual(["observability_configuration", "aws_oss_tooling"]);
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: true } })).toBe(true);
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: false } })).toBe(false);
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: "true" } })).toBe(false);
    expect(isStageEnabled(gate, {})).toBe(false);
    expect(isStageEnabled(undefined, {})).toBe(true);
    // A marker outside a comment is not a gate (it could be inside a string).
    expect(parseStageGate('locals { x = "aiplat:enabled-when a.b" }')).toBeUndefined();
  });

  test("state keys follow <stage path>/terraform.tfstate", () => {
    expect(stateKey("30.eks/30.cluster")).toBe("30.eks/30.cluster/terraform.tfstate");
  });
});

describe("the stages of this repository", () => {
  const stages = discoverStagePaths(listFiles(terraformRoot)).map((s) =>
    describeStage(s, readFileSync(join(terraformRoot, s, "backend.tf"), "utf8")),
  );

  test("are the six stages of PLATFORM.md, in its apply order", () => {
    expect(stages.map((s) => s.path)).toEqual(EXPECTED_ORDER);
  });

  test("only the 40.* stages are gated, each by its observability switch", () => {
    expect(Object.fromEntries(stages.map((s) => [s.path, s.gate?.join(".")]))).toEqual({
      "10.networking": undefined,
      "20.iam-roles-for-eks": undefined,
      "30.eks/30.cluster": undefined,
      "30.eks/35.addons": undefined,
      "40.observability/40.aws-native-observability": "observability_configuration.aws_native_tooling",
      "40.observability/45.aws-oss-observability": "observability_configuration.aws_oss_tooling",
    });
  });

  test("with example.tfvars the optional stages are skipped, and turning a switch on enables exactly its stage", async () => {
    const tfvars = await parseHcl(
      "example.tfvars",
      readFileSync(join(terraformRoot, "00.global/vars/example.tfvars"), "utf8"),
    );
    expect(stages.filter((s) => isStageEnabled(s.gate, tfvars)).map((s) => s.path)).toEqual(
      EXPECTED_ORDER.slice(0, 4),
    );
    const withOss = { ...tfvars, observability_configuration: { aws_oss_tooling: true } };
    expect(stages.filter((s) => isStageEnabled(s.gate, withOss)).map((s) => s.path)).toEqual([
      ...EXPECTED_ORDER.slice(0, 4),
      "40.observability/45.aws-oss-observability",
    ]);
  });
});
