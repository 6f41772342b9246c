import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

interface Outcome {
  stage: string;
  result: string;
  summary?: { add: number; change: number; destroy: number };
}

describe.skipIf(!hasTerraform())(`aiplat plan${skipNote("terraform", hasTerraform())}`, () => {
  it("reports adds/changes/destroys per stage and changes nothing", async () => {
    const repo = makeStagesRepo();
    expect((await repo.run(["up", "--yes"])).exitCode).toBe(0);
    const journalBefore = JSON.stringify(repo.journal());
    repo.setVar("vpc_cidr", '"10.9.0.0/16"');

    const human = await repo.run(["plan"]);
    expect(human.exitCode, human.stderr).toBe(0);
    const row = human.stdout.split("\n").find((l) => l.startsWith("10.networking ")) ?? "";
    expect(row).toMatch(/planned\s+0\s+3\s+0/);
    expect(human.stdout).toContain("1 stage(s) have changes");
    expect(human.stdout).toContain("aiplat up --env dev");

    // Nothing was applied: planning again shows the same changes, and the journal is untouched.
    const again = await repo.run(["plan", "--json"]);
    expect(again.exitCode, again.stderr).toBe(0);
    const stages = again.json().stages as Outcome[];
    expect(stages.find((s) => s.stage === "10.networking")?.summary).toMatchObject({
      add: 0,
      change: 3,
      destroy: 0,
    });
    expect(stages.find((s) => s.stage === "30.eks/30.cluster")?.summary).toMatchObject({
      add: 0,
      change: 0,
      destroy: 0,
    });
    expect(stages.find((s) => s.stage === "40.observability/45.aws-oss-observability")?.result).toBe(
      "skipped",
    );
    expect(JSON.stringify(repo.journal())).toBe(journalBefore);
  });

  it("turning an optional stage on in the tfvars brings it into the plan", async () => {
    const repo = makeStagesRepo();
    expect((await repo.run(["up", "--yes"])).exitCode).toBe(0);
    repo.editVars("aws_oss_tooling    = false", "aws_oss_tooling    = true");
    const plan = await repo.run(["plan", "--json"]);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const oss = (plan.json().stages as Outcome[]).find(
      (s) => s.stage === "40.observability/45.aws-oss-observability",
    );
    expect(oss).toMatchObject({ result: "planned", summary: { add: 1, change: 0, destroy: 0 } });
  });
});
