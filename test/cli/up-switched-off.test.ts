import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

interface Outcome {
  stage: string;
  result: string;
  reason?: string;
  summary?: { add: number; change: number; destroy: number };
}

const OSS = "40.observability/45.aws-oss-observability";
// The chain the optional stage reads through remote state, without the slow add-ons stage.
const CHAIN = "networking,iam-roles-for-eks,30.cluster";

describe.skipIf(!hasTerraform())(
  `aiplat up with an optional stage switched off after it was applied${skipNote("terraform", hasTerraform())}`,
  () => {
    it("warns that its resources remain and names the command that removes them; --only plans their destruction", async () => {
      const repo = makeStagesRepo();
      repo.editVars("aws_oss_tooling    = false", "aws_oss_tooling    = true");
      const on = await repo.run(["up", "--yes", "--json", "--only", `${CHAIN},${OSS}`]);
      expect(on.exitCode, on.stderr).toBe(0);
      expect((on.json().stages as Outcome[]).find((s) => s.stage === OSS)?.result).toBe("applied");

      repo.editVars("aws_oss_tooling    = true", "aws_oss_tooling    = false");
      const off = await repo.run(["up", "--yes", "--json", "--only", CHAIN]);
      expect(off.exitCode, off.stderr).toBe(0);
      // Not selected: nothing is said about it.
      expect(off.stderr).not.toContain("switched off");

      const json = await repo.run(["up", "--yes", "--json", "--from", "30.cluster"]);
      expect(json.exitCode, json.stderr).toBe(0);
      const skipped = (json.json().stages as Outcome[]).find((s) => s.stage === OSS);
      expect(skipped?.result).toBe("skipped");
      expect(skipped?.reason).toContain("1 resource(s) from an earlier apply remain");

      const human = await repo.run(["up", "--yes", "--from", "30.cluster"]);
      expect(human.exitCode, human.stderr).toBe(0);
      expect(human.stdout).toMatch(
        /45\.aws-oss-observability\s+skipped.*1 resource\(s\) from an earlier apply remain/,
      );
      expect(human.stderr).toContain(`Stage ${OSS} is switched off`);
      expect(human.stderr).toContain(`aiplat up --env dev --only ${OSS}`);

      const cleanup = await repo.run(["up", "--yes", "--json", "--only", OSS]);
      expect(cleanup.exitCode, cleanup.stderr).toBe(0);
      expect((cleanup.json().stages as Outcome[]).find((s) => s.stage === OSS)).toMatchObject({
        result: "applied",
        summary: { add: 0, destroy: 1 },
      });

      const after = await repo.run(["up", "--yes", "--json", "--only", OSS]);
      expect(after.exitCode, after.stderr).toBe(0);
      const row = (after.json().stages as Outcome[]).find((s) => s.stage === OSS);
      expect(row?.result).toBe("skipped");
      expect(row?.reason).not.toContain("remain");
      expect(after.stderr).not.toContain("switched off");
    });
  },
);
