import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { runCli } from "../support/cli.js";
import { scriptedPrompter } from "../support/prompts.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

describe.skipIf(!hasTerraform())(`aiplat up confirmation${skipNote("terraform", hasTerraform())}`, () => {
  it("asks before applying each plan with changes; declining stops there with nothing applied", async () => {
    const repo = makeStagesRepo();
    const prompter = scriptedPrompter([true, false]);
    const result = await runCli(["--env", "dev", "up"], {
      cwd: repo.dir,
      env: repo.env,
      isTTY: true,
      prompter,
    });
    expect(result.exitCode).toBe(130);
    expect(prompter.asked.map((q) => q.message)).toEqual([
      "Apply 10.networking?",
      "Apply 20.iam-roles-for-eks?",
    ]);
    expect(result.stderr).toContain("Plan for 20.iam-roles-for-eks: +4 to add");
    expect(result.stderr).toContain('create  terraform_data.roles["EKSAdmin"]');
    expect(result.stderr).toContain("aiplat up --env dev");
    expect(result.stderr).toContain("Nothing was changed in 20.iam-roles-for-eks");
    expect(result.stderr).not.toMatch(/terraform saved its state/i);
    // 10 was applied, 20 was not: its workspace has no state yet.
    expect(
      existsSync(join(repo.stageDir("10.networking"), "terraform.tfstate.d", "dev", "terraform.tfstate")),
    ).toBe(true);
    expect(repo.journal().stages["20.iam-roles-for-eks"]?.status).not.toBe("done");
  });

  it("without a terminal and without --yes, refuses to apply changes and names --yes and aiplat plan", async () => {
    const repo = makeStagesRepo();
    const result = await repo.run(["up"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("10.networking has changes (+3 to add");
    expect(result.stderr).toContain("aiplat plan --env dev");
    expect(result.stderr).toContain("--yes");
  });
});
