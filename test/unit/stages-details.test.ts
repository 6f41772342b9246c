import { describe, expect, it } from "vitest";
import {
  emptyJournal,
  hasUnfinishedRun,
  parseJournal,
  recordStage,
  resumeCommand,
  resumePoint,
  type StageStatus,
  selectStages,
} from "../../src/core/stages/journal.js";
import { formatPlanSummary, planHasChanges, summarizePlan } from "../../src/core/stages/plan-summary.js";
import {
  describeStage,
  destroyOrder,
  discoverStagePaths,
  estimateStageMinutes,
  isStageEnabled,
  parseStageGate,
  planStageEntries,
  resolveStageName,
} from "../../src/core/stages/stages.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("stage folders and their order", () => {
  it("takes only folders holding a backend.tf, once each, whatever the path spelling", () => {
    expect(
      discoverStagePaths([
        "backend.tf",
        "./20.b/backend.tf",
        "10.a\\backend.tf",
        "30.c/backend.tf.bak",
        "30.c/main.tf",
        "40.d/.terraform/backend.tf",
      ]),
    ).toEqual(["10.a", "20.b"]);
  });

  it("drops only a leading ./", () => {
    expect(discoverStagePaths(["x/./backend.tf", "./y/backend.tf"])).toEqual(["x/.", "y"]);
  });

  it("sorts by path segment, a parent before its children, and destroys in reverse", () => {
    const paths = ["b/backend.tf", "a/y/backend.tf", "a/x/backend.tf", "a/backend.tf", "a-b/backend.tf"];
    // Segment by segment: "a" < "a-b" < "b", while a plain string sort would put "a-b" before "a/x".
    expect(discoverStagePaths(paths)).toEqual(["a", "a/x", "a/y", "a-b", "b"]);
    expect(destroyOrder(["a/y", "b", "a", "a-b", "a/x"])).toEqual(["b", "a-b", "a/y", "a/x", "a"]);
  });

  // Not a mutant-killer (see TESTING.md, stages.ts:42): the order must not depend on the listing's.
  it("gives the same order whatever order the files were listed in", () => {
    const sorted = ["10.networking", "30.eks", "30.eks/30.cluster", "30.eks/35.addons"];
    const permutations = (items: string[]): string[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
          );
    for (const order of permutations(sorted)) {
      expect(discoverStagePaths(order.map((p) => `${p}/backend.tf`)), order.join(" ")).toEqual(sorted);
      expect(destroyOrder(order), order.join(" ")).toEqual([...sorted].reverse());
    }
  });
});

describe("the gate marker of a backend.tf", () => {
  it.each([
    [
      "# aiplat:enabled-when observability_configuration.aws_oss_tooling",
      ["observability_configuration", "aws_oss_tooling"],
    ],
    ["// aiplat:enabled-when cluster_config.model_cache", ["cluster_config", "model_cache"]],
    ["   #   aiplat:enabled-when   _x.a-b.c_d  ", ["_x", "a-b", "c_d"]],
    ["terraform {}\n# aiplat:enabled-when switch\n", ["switch"]],
  ])("%j → %j", (text, gate) => {
    expect(parseStageGate(text)).toEqual(gate);
  });

  it.each([
    ['locals { note = "aiplat:enabled-when a.b" }'],
    ["# aiplat:enabled-when 1st.switch"],
    ["# aiplat:enabled-when"],
    ["# aiplat:enabledwhen a"],
    [""],
  ])("%j has no gate", (text) => {
    expect(parseStageGate(text)).toBeUndefined();
  });

  it("tells s3, local and other backends apart, ignoring commented-out ones", () => {
    expect(describeStage("x", 'terraform {\n  backend  "s3" {}\n}').backend).toBe("s3");
    expect(describeStage("x", 'terraform {\n  backend "gcs" {}\n}').backend).toBe("other");
    expect(describeStage("x", "terraform {}\n").backend).toBe("local");
    expect(describeStage("x", '// backend "s3" {}\nterraform {}\n').backend).toBe("local");
    expect(describeStage("x", '  # backend "s3" {}\nterraform {}\n').backend).toBe("local");
    // A comment after the code does not hide the code.
    expect(describeStage("x", 'terraform { backend "s3" {} } # state in S3\n').backend).toBe("s3");
    // Lines are put back together with their line breaks.
    expect(describeStage("x", 'terraform {\n  backend\n"s3" {}\n}\n').backend).toBe("s3");
  });
});

describe("gated stages", () => {
  const gate = ["observability_configuration", "aws_oss_tooling"];

  it.each([
    ["a null section", { observability_configuration: null }],
    ["a string tfvars", "observability_configuration"],
    ["no tfvars", undefined],
    ["a two-element list", { observability_configuration: [{ aws_oss_tooling: true }, {}] }],
    ["a list as the switch", { observability_configuration: { aws_oss_tooling: [true] } }],
    ["a list where a section should be", { observability_configuration: [[{ aws_oss_tooling: true }]] }],
  ])("is off with %s", (_name, tfvars) => {
    expect(isStageEnabled(gate, tfvars)).toBe(false);
  });

  it("reads through hcl2json's one-element lists at every level", () => {
    expect(isStageEnabled(gate, [{ observability_configuration: [{ aws_oss_tooling: true }] }])).toBe(true);
  });

  it("gives the reason a stage is skipped, and none for a stage that runs", () => {
    const stages = [
      { path: "10.a", gate: undefined, backend: "s3" as const },
      { path: "40.b", gate, backend: "s3" as const },
    ];
    expect(planStageEntries(stages, { observability_configuration: { aws_oss_tooling: false } })).toEqual([
      { path: "10.a", gate: undefined, backend: "s3", enabled: true, skipReason: undefined },
      {
        path: "40.b",
        gate,
        backend: "s3",
        enabled: false,
        skipReason: "observability_configuration.aws_oss_tooling is not true in the tfvars",
      },
    ]);
  });
});

describe("--from / --only names", () => {
  const stages = ["10.networking", "30.eks/30.cluster", "30.eks/35.addons", "50.x/30.cluster"];

  it("ignores a trailing slash", () => {
    expect(resolveStageName("30.eks/30.cluster//", stages, "--from")).toBe("30.eks/30.cluster");
  });

  it("prefers the full path, then the leaf, then the name", () => {
    expect(resolveStageName("10.networking", stages, "--from")).toBe("10.networking");
    expect(resolveStageName("addons", stages, "--from")).toBe("30.eks/35.addons");
  });

  it("refuses a name that matches several stages, listing them", () => {
    expect(thrown(() => resolveStageName("30.cluster", stages, "--only"))).toMatchObject({
      code: "ambiguous-stage",
      exitCode: 2,
      message: "--only 30.cluster matches several stages: 30.eks/30.cluster, 50.x/30.cluster.",
      hint: "Pass the full stage path, e.g. --only 30.eks/30.cluster.",
    });
    expect(thrown(() => resolveStageName("cluster", stages, "--from"))).toMatchObject({
      code: "ambiguous-stage",
      message: "--from cluster matches several stages: 30.eks/30.cluster, 50.x/30.cluster.",
    });
  });

  it("refuses an unknown name, listing the stages", () => {
    expect(thrown(() => resolveStageName("eks/", stages, "--from"))).toMatchObject({
      code: "unknown-stage",
      exitCode: 2,
      message: "--from eks/ is not a stage.",
      hint: "Stages: 10.networking, 30.eks/30.cluster, 30.eks/35.addons, 50.x/30.cluster.",
    });
  });

  it("takes the last segment of a deeper path as the leaf", () => {
    expect(resolveStageName("30.c", ["a/b/30.c", "a/30.b/x"], "--from")).toBe("a/b/30.c");
    expect(resolveStageName("c", ["a/b/30.c", "a/30.b/x"], "--from")).toBe("a/b/30.c");
  });

  it("strips only a leading number", () => {
    expect(() => resolveStageName("db-cache", ["db-2.cache"], "--from")).toThrow(/is not a stage/);
  });

  it("strips only the leading number of the leaf", () => {
    expect(() => resolveStageName("networking", ["10.networking.v2"], "--from")).toThrow(/is not a stage/);
    expect(resolveStageName("networking.v2", ["10.networking.v2"], "--from")).toBe("10.networking.v2");
  });
});

describe("minutes a stage may take (credential guard)", () => {
  it.each([
    ["30.eks/30.cluster", 25],
    ["30.eks/35.addons", 15],
    ["10.networking", 10],
    ["20.iam-roles-for-eks", 5],
    ["40.observability/45.aws-oss-observability", 15],
    ["50.something-else", 10],
    ["x/cluster/20.iam", 5],
    ["10.networking-iam", 10],
  ])("%s: %d", (stage, minutes) => {
    expect(estimateStageMinutes(stage)).toBe(minutes);
  });
});

describe("plan summaries", () => {
  it("reads a missing address as ? and a change without actions as nothing", () => {
    const summary = summarizePlan({
      resource_changes: [{ change: { actions: ["create"] } }, { address: "b" }, { address: "c", change: {} }],
      output_changes: { a: {}, b: { actions: ["update"] }, c: { actions: ["no-op", "delete"] } },
    });
    expect(summary).toEqual({
      add: 1,
      change: 0,
      destroy: 0,
      outputs: 2,
      resources: [{ address: "?", action: "create" }],
    });
  });

  it("counts create-before-destroy as a replacement too", () => {
    expect(
      summarizePlan({ resource_changes: [{ address: "r", change: { actions: ["create", "delete"] } }] }),
    ).toEqual({
      add: 1,
      change: 0,
      destroy: 1,
      outputs: 0,
      resources: [{ address: "r", action: "replace" }],
    });
  });

  it("counts an output only when one of its actions is not no-op", () => {
    expect(summarizePlan({ output_changes: { a: { actions: [] } } }).outputs).toBe(0);
    expect(summarizePlan({ output_changes: { a: { actions: ["no-op", "update"] } } }).outputs).toBe(1);
  });

  it("reads nothing from an empty show", () => {
    expect(summarizePlan(undefined)).toEqual({ add: 0, change: 0, destroy: 0, outputs: 0, resources: [] });
  });

  it.each([
    [{ add: 1, change: 0, destroy: 0, outputs: 0 }, "+1 to add, ~0 to change, -0 to destroy"],
    [{ add: 0, change: 1, destroy: 0, outputs: 0 }, "+0 to add, ~1 to change, -0 to destroy"],
    [{ add: 0, change: 0, destroy: 3, outputs: 0 }, "+0 to add, ~0 to change, -3 to destroy"],
    [{ add: 0, change: 0, destroy: 1, outputs: 2 }, "+0 to add, ~0 to change, -1 to destroy"],
    [{ add: 0, change: 0, destroy: 0, outputs: 2 }, "2 output(s) change"],
    [{ add: 1, change: 1, destroy: 0, outputs: 1 }, "+1 to add, ~1 to change, -0 to destroy"],
    [{ add: 0, change: 1, destroy: 1, outputs: 1 }, "+0 to add, ~1 to change, -1 to destroy"],
  ])("%j has changes: %s", (counts, text) => {
    const summary = { ...counts, resources: [] };
    expect(planHasChanges(summary)).toBe(true);
    expect(formatPlanSummary(summary)).toBe(text);
  });
});

describe("the up journal", () => {
  const at = new Date("2026-11-26T12:00:00Z");

  it("keeps the stages of a version-1 journal, under the environment asked for", () => {
    const stages = { a: { status: "done", at: "2026-11-26T12:00:00.000Z" } };
    const parsed = parseJournal("dev", { version: 1, env: "prod", stages });
    expect(parsed).toEqual({ version: 1, env: "dev", stages });
    expect(parsed.stages).not.toBe(stages);
  });

  it.each([[{ version: 1, stages: null }], [{ version: 1, stages: "a" }], [{ version: 1 }], [undefined]])(
    "treats %j as empty",
    (data) => {
      expect(parseJournal("dev", data)).toEqual({ version: 1, env: "dev", stages: {} });
    },
  );

  it("records a status with its time and details, without changing the old journal", () => {
    const before = emptyJournal("dev");
    const summary = { add: 1, change: 0, destroy: 0, outputs: 0, resources: [] };
    const after = recordStage(before, "a", "failed", at, { summary, error: "boom" });
    expect(after).toEqual({
      version: 1,
      env: "dev",
      stages: { a: { status: "failed", at: "2026-11-26T12:00:00.000Z", summary, error: "boom" } },
    });
    expect(before.stages).toEqual({});
    expect(recordStage(after, "b", "done", at).stages).toEqual({
      a: { status: "failed", at: "2026-11-26T12:00:00.000Z", summary, error: "boom" },
      b: { status: "done", at: "2026-11-26T12:00:00.000Z" },
    });
  });

  it.each([
    ["running", true],
    ["failed", true],
    ["interrupted", true],
    ["done", false],
    ["skipped", false],
  ] as [StageStatus, boolean][])("a stage left %s means an unfinished run: %s", (status, unfinished) => {
    const journal = recordStage(recordStage(emptyJournal("dev"), "a", "done", at), "b", status, at);
    expect(hasUnfinishedRun(journal)).toBe(unfinished);
    expect(resumePoint(journal, ["a", "b", "c"])).toBe(unfinished ? "b" : "c");
  });

  it("has nothing unfinished when empty, and resumes at a stage it never saw", () => {
    expect(hasUnfinishedRun(emptyJournal("dev"))).toBe(false);
    expect(resumePoint(emptyJournal("dev"), ["a", "b"])).toBe("a");
  });

  it("lets --only win over --from, and ignores an empty --only", () => {
    const stages = ["a", "b", "c"];
    expect(selectStages(stages, { from: "b", only: ["a"] })).toEqual(["a"]);
    expect(selectStages(stages, { from: "b", only: [] })).toEqual(["b", "c"]);
    expect(selectStages(stages, { from: "z" })).toEqual([]);
    expect(selectStages(stages, { only: ["z"] })).toEqual([]);
    expect(selectStages(stages, { from: "a" })).toEqual(["a", "b", "c"]);
    expect(selectStages(stages, {})).not.toBe(stages);
  });

  it("resumes --from when --only was empty", () => {
    expect(resumeCommand("prod", { only: [], from: "b" })).toBe("aiplat up --env prod --from b");
    expect(resumeCommand("prod", { only: [] })).toBe("aiplat up --env prod");
    expect(resumeCommand("prod", { only: ["a"], from: "b" })).toBe("aiplat up --env prod --only a");
  });
});
