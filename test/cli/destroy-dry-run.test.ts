import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { addLoadBalancerService, destroyPlatformPerTest } from "../fixtures/destroy/platform.js";
import { scriptedPrompter } from "../support/prompts.js";

vi.setConfig({ testTimeout: 240_000 });

const startPlatform = destroyPlatformPerTest();

const MUTATING = /^(Delete|Terminate|Release|Remove|Create|Put|Modify)/;

/**
 * A platform with a LoadBalancer Service, and a check that nothing was written since: the API
 * server's resourceVersion did not move, AWS saw no mutating call, no journal, the LB still bills.
 */
async function platformWithNothingWritten() {
  const platform = await startPlatform();
  const { sim, repo } = platform;
  addLoadBalancerService(platform);
  await sim.settle();
  const rv = sim.kube.store.resourceVersion;
  const awsCalls = sim.aws.calls.length;
  const expectNothingWritten = async () => {
    await sim.settle();
    expect(sim.kube.store.resourceVersion).toBe(rv);
    expect(sim.aws.calls.slice(awsCalls).filter((c) => MUTATING.test(c.operation))).toEqual([]);
    expect(existsSync(join(repo.dir, ".aiplat", "journal", "dev", "destroy.json"))).toBe(false);
    expect(sim.ledger.loadBalancers()).toHaveLength(1);
    return awsCalls;
  };
  return { ...platform, expectNothingWritten };
}

describe("aiplat destroy --dry-run and the typed confirmation", () => {
  it("--dry-run --json prints every step with id, targets and evidence, and writes nothing anywhere; no --yes without a terminal aborts", async () => {
    const { sim, run, expectNothingWritten } = await platformWithNothingWritten();

    const dry = await run(["destroy", "--dry-run", "--json"]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const plan = dry.json() as {
      steps: { id: string; actsOn: string[]; evidence: string }[];
      dryRun: boolean;
    };
    expect(plan.dryRun).toBe(true);
    expect(plan.steps.map((s) => s.id).slice(0, 6)).toEqual([
      "preflight",
      "stop-gitops",
      "endpoints",
      "load-balancers",
      "node-pools",
      "applications",
    ]);
    expect(plan.steps.find((s) => s.id === "load-balancers")?.actsOn).toEqual([
      "Service ai-platform/public-chat",
    ]);
    for (const s of plan.steps) expect(s.evidence.length).toBeGreaterThan(0);

    const noTty = await run(["destroy"]);
    expect(noTty.exitCode).toBe(2);
    expect(noTty.stderr).toContain("no terminal");
    expect(noTty.stderr).toContain("aiplat destroy --env dev --yes");

    const awsCallsBefore = await expectNothingWritten();
    // It did read AWS (the plan is built from the account), without writing.
    expect(sim.aws.calls.length).toBeGreaterThan(awsCallsBefore);
  });

  it("a typed confirmation that is not the environment's name aborts with nothing done", async () => {
    const { sim, run, expectNothingWritten } = await platformWithNothingWritten();
    const prompter = scriptedPrompter(["prod"]);

    const typo = await run(["destroy"], { isTTY: true, prompter });
    expect(typo.exitCode).toBe(2);
    expect(prompter.asked.map((q) => q.message)).toEqual([
      "This deletes environment dev. Type the environment name (dev) to go on:",
    ]);
    expect(typo.stderr).toContain('"prod" is not dev: nothing was deleted.');
    expect(typo.stderr).toContain("aiplat destroy --env dev --dry-run");

    await expectNothingWritten();
    expect(sim.terraform.applied()).toHaveLength(4);
  });
});
