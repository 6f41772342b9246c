import { describe, expect, it } from "vitest";
import {
  emptyJournal,
  hasUnfinishedRun,
  parseJournal,
  recordStage,
  resumeCommand,
  resumePoint,
  selectStages,
} from "../../src/core/stages/journal.js";
import { formatPlanSummary, planHasChanges, summarizePlan } from "../../src/core/stages/plan-summary.js";
import {
  describeStage,
  discoverStagePaths,
  estimateStageMinutes,
  isStageEnabled,
  planStageEntries,
  resolveStageName,
  stateKey,
} from "../../src/core/stages/stages.js";

const REAL = [
  "40.observability/45.aws-oss-observability/backend.tf",
  "10.networking/backend.tf",
  "30.eks/35.addons/backend.tf",
  "30.eks/30.cluster/backend.tf",
  "30.eks/30.cluster/main.tf",
  "20.iam-roles-for-eks/backend.tf",
  "40.observability/40.aws-native-observability/backend.tf",
  "30.eks/30.cluster/.terraform/modules/eks/backend.tf",
  "00.global/vars/dev.tfvars",
];

describe("stage discovery", () => {
  it("finds the folders with a backend.tf, in the platform's order, ignoring .terraform copies", () => {
    expect(discoverStagePaths(REAL)).toEqual([
      "10.networking",
      "20.iam-roles-for-eks",
      "30.eks/30.cluster",
      "30.eks/35.addons",
      "40.observability/40.aws-native-observability",
      "40.observability/45.aws-oss-observability",
    ]);
  });

  it("reads the gate marker and the backend kind from backend.tf", () => {
    const s3 = describeStage(
      "40.observability/45.aws-oss-observability",
      '# aiplat:enabled-when observability_configuration.aws_oss_tooling\nterraform {\n  backend "s3" {}\n}\n',
    );
    expect(s3).toEqual({
      path: "40.observability/45.aws-oss-observability",
      gate: ["observability_configuration", "aws_oss_tooling"],
      backend: "s3",
    });
    expect(describeStage("10.networking", 'terraform {\n  backend "local" {}\n}').backend).toBe("local");
    // A commented-out backend does not count.
    expect(
      describeStage("10.networking", '# backend "s3" {}\nterraform {\n  backend "local" {}\n}').backend,
    ).toBe("local");
    // The marker in backend.tf is the only source of a gate (test/platform checks every 40.* stage has one).
    expect(
      describeStage("40.observability/40.aws-native-observability", 'terraform {\n backend "s3" {}\n}').gate,
    ).toBeUndefined();
  });

  it("turns a gated stage on only when its switch is literally true", () => {
    const gate = ["observability_configuration", "aws_oss_tooling"];
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: true } })).toBe(true);
    expect(isStageEnabled(gate, { observability_configuration: [{ aws_oss_tooling: true }] })).toBe(true);
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: false } })).toBe(false);
    expect(isStageEnabled(gate, { observability_configuration: { aws_oss_tooling: "true" } })).toBe(false);
    expect(isStageEnabled(gate, {})).toBe(false);
    expect(isStageEnabled(undefined, {})).toBe(true);
    const entries = planStageEntries([{ path: "x", gate, backend: "s3" }], {});
    expect(entries[0]).toMatchObject({
      enabled: false,
      skipReason: expect.stringContaining("aws_oss_tooling"),
    });
  });

  it("resolves --from/--only by full path, leaf, or name without its number", () => {
    const stages = discoverStagePaths(REAL);
    expect(resolveStageName("30.eks/30.cluster", stages, "--from")).toBe("30.eks/30.cluster");
    expect(resolveStageName("35.addons", stages, "--from")).toBe("30.eks/35.addons");
    expect(resolveStageName("networking", stages, "--only")).toBe("10.networking");
    expect(() => resolveStageName("eks", stages, "--from")).toThrow(/not a stage/);
    expect(() => resolveStageName("nope", stages, "--only")).toThrowError(
      expect.objectContaining({ exitCode: 2 }),
    );
  });

  it("keys state per stage and estimates the cluster as the slow one", () => {
    expect(stateKey("30.eks/30.cluster")).toBe("30.eks/30.cluster/terraform.tfstate");
    expect(estimateStageMinutes("30.eks/30.cluster")).toBeGreaterThan(
      estimateStageMinutes("20.iam-roles-for-eks"),
    );
  });
});

describe("plan summary from terraform show -json", () => {
  it("counts creates, updates, deletes, and a replacement as one add and one destroy", () => {
    const summary = summarizePlan({
      resource_changes: [
        { address: "a", change: { actions: ["create"] } },
        { address: "b", change: { actions: ["update"] } },
        { address: "c", change: { actions: ["delete"] } },
        { address: "d", change: { actions: ["delete", "create"] } },
        { address: "e", change: { actions: ["no-op"] } },
        { address: "data.x", change: { actions: ["read"] } },
      ],
      output_changes: { o: { actions: ["no-op"] } },
    });
    expect(summary).toMatchObject({ add: 2, change: 1, destroy: 2, outputs: 0 });
    expect(summary.resources.map((r) => r.action)).toEqual(["create", "update", "delete", "replace"]);
    expect(formatPlanSummary(summary)).toBe("+2 to add, ~1 to change, -2 to destroy");
  });

  it("treats output-only changes as changes (they need an apply) and nothing as no changes", () => {
    const outputs = summarizePlan({ output_changes: { o: { actions: ["create"] } } });
    expect(planHasChanges(outputs)).toBe(true);
    expect(formatPlanSummary(outputs)).toBe("1 output(s) change");
    expect(planHasChanges(summarizePlan({ resource_changes: [] }))).toBe(false);
    expect(formatPlanSummary(summarizePlan({}))).toBe("no changes");
  });
});

describe("up journal", () => {
  const stages = ["a", "b", "c"];
  const at = new Date("2026-11-26T12:00:00Z");

  it("resumes at the first stage that is not done", () => {
    let j = emptyJournal("dev");
    j = recordStage(j, "a", "done", at);
    j = recordStage(j, "b", "interrupted", at, { error: "Ctrl-C" });
    expect(resumePoint(j, stages)).toBe("b");
    expect(hasUnfinishedRun(j)).toBe(true);
    j = recordStage(j, "b", "done", at);
    j = recordStage(j, "c", "skipped", at);
    expect(resumePoint(j, stages)).toBeUndefined();
    expect(hasUnfinishedRun(j)).toBe(false);
  });

  it("resumes with the selection the user made: --only stays --only, --from stays --from", () => {
    expect(resumeCommand("dev")).toBe("aiplat up --env dev");
    expect(resumeCommand("dev", { from: "30.eks/35.addons" })).toBe(
      "aiplat up --env dev --from 30.eks/35.addons",
    );
    expect(resumeCommand("dev", { only: ["10.networking", "30.eks/30.cluster"] })).toBe(
      "aiplat up --env dev --only 10.networking,30.eks/30.cluster",
    );
  });

  it("treats a foreign or broken journal as empty", () => {
    expect(parseJournal("dev", { version: 9 })).toEqual(emptyJournal("dev"));
    expect(parseJournal("dev", null)).toEqual(emptyJournal("dev"));
  });

  it("selects stages for --from and --only", () => {
    expect(selectStages(stages, {})).toEqual(stages);
    expect(selectStages(stages, { from: "b" })).toEqual(["b", "c"]);
    expect(selectStages(stages, { only: ["c", "a"] })).toEqual(["a", "c"]);
  });
});
