import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  addLoadBalancerService,
  type DestroyPlatform,
  destroyPlatformPerTest,
} from "../fixtures/destroy/platform.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 600_000 });

const startPlatform = destroyPlatformPerTest();

type Journal = { stages: Record<string, { status: string; error?: string }> };

const journalPath = (p: DestroyPlatform) => join(p.repo.dir, ".aiplat", "journal", "dev", "destroy.json");

function readJournal(p: DestroyPlatform): Journal {
  return JSON.parse(readFileSync(journalPath(p), "utf8")) as Journal;
}

/** Every Terraform lock file left under the repository's terraform/ (none after a clean stop). */
function lockFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === ".terraform.tfstate.lock.info") found.push(path);
    else if (statSync(path).isDirectory()) found.push(...lockFiles(path));
  }
  return found;
}

/**
 * Ctrl-C as the user presses it: the abort lands as soon as the journal shows one of `steps`
 * running (the CLI runs in this process, so the step is then inside its first API call or
 * terraform). Any of them, not only the first: a step that runs for less than one poll tick would
 * otherwise be missed and the whole teardown would finish unstopped.
 */
function abortWhenRunning(
  p: DestroyPlatform,
  steps: readonly string[],
  controller: AbortController,
): () => void {
  const timer = setInterval(() => {
    if (!existsSync(journalPath(p))) return;
    try {
      const { stages } = readJournal(p);
      if (steps.some((step) => stages[step]?.status === "running")) controller.abort();
    } catch {
      // Caught mid-write: the next tick reads it whole.
    }
  }, 2);
  return () => clearInterval(timer);
}

describe.skipIf(!hasTerraform())(`aiplat destroy resumes${skipNote("terraform", hasTerraform())}`, () => {
  it("SIGINT at each step, then destroy again: each stop exits 130 and is journaled, the next run resumes there; the end is clean and no state lock is left", async () => {
    const platform = await startPlatform();
    const { sim, run, repo } = platform;
    expect((await run(["up", "--yes"])).exitCode).toBe(0);
    expect((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
    addLoadBalancerService(platform);
    await sim.settle();
    const plan = (await run(["destroy", "--dry-run", "--json"])).json() as { steps: { id: string }[] };
    const order = plan.steps.map((s) => s.id);
    expect(order).toContain("stage:10.networking");

    const interruptedAt: string[] = [];
    let next = 0;
    while (next < order.length) {
      const controller = new AbortController();
      const stopWatching = abortWhenRunning(platform, order.slice(next), controller);
      const stopped = await run(["destroy", "--yes"], { signal: controller.signal });
      stopWatching();
      if (interruptedAt.length > 0)
        expect(stopped.stderr).toContain(`Resuming: the last run stopped at ${interruptedAt.at(-1)}`);
      if (stopped.exitCode === 0) break; // the abort came after the last step's work
      expect(stopped.exitCode, stopped.stderr).toBe(130);
      expect(stopped.stderr).toContain("Resume with `aiplat destroy --env dev`");
      const journal = readJournal(platform);
      const at = order.find((id) => journal.stages[id]?.status === "interrupted");
      expect(at, JSON.stringify(journal)).toBeDefined();
      // Interrupted at the step it was in, or (a step that ends in one call) just before the next.
      expect(order.indexOf(at as string)).toBeGreaterThanOrEqual(next);
      expect(lockFiles(join(repo.dir, "terraform"))).toEqual([]);
      interruptedAt.push(at as string);
      next = order.indexOf(at as string) + 1;
    }
    // Most steps were hit while running (a few end within one call and are stopped just before).
    expect(interruptedAt.length, interruptedAt.join(", ")).toBeGreaterThanOrEqual(order.length / 2);
    expect(interruptedAt).toContain("stage:30.eks/30.cluster");

    const last = await run(["destroy", "--yes", "--json"]);
    expect(last.exitCode, last.stderr).toBe(0);
    expect((last.json() as { leftovers: unknown[] }).leftovers).toEqual([]);
    expect(lockFiles(join(repo.dir, "terraform"))).toEqual([]);
    await sim.settle();
    expect(sim.ledger.hourlyCost()).toBe(0);
    expect(sim.terraform.applied()).toEqual([]);
  });

  it("a DependencyViolation names the ENI and security group left in the VPC and whose they are; after they go, destroy again resumes at networking with the cluster stage already destroyed", async () => {
    const platform = await startPlatform();
    const { sim, run } = platform;
    expect((await run(["up", "--yes"])).exitCode).toBe(0);
    // A security group and ENI someone made by hand in the cluster's VPC (a bastion's), tagged for
    // the cluster: Terraform did not make them, so the networking stage cannot delete the subnet.
    const sg = sim.ledger.create({
      kind: "security-group",
      name: "bastion-ssh",
      hourlyPrice: 0,
      tags: { "kubernetes.io/cluster/fx-dev": "shared", Name: "bastion-ssh" },
      createdBy: "user",
    });
    const eni = sim.ledger.create({
      kind: "eni",
      name: "bastion",
      hourlyPrice: 0,
      tags: { "kubernetes.io/cluster/fx-dev": "shared", Name: "bastion" },
      createdBy: "user",
      securityGroups: [sg.id],
    });

    const failed = await run(["destroy", "--yes"]);
    expect(failed.exitCode, failed.stderr).not.toBe(0);
    expect(failed.stderr).toContain("terraform destroy of 10.networking failed with DependencyViolation");
    expect(failed.stderr).toContain(`eni ${eni.id} (bastion)`);
    expect(failed.stderr).toContain(`security-group ${sg.id} (bastion-ssh)`);
    expect(failed.stderr).toContain(
      "not made by aiplat's stages or the cluster's controllers (tags kubernetes.io/cluster/fx-dev=shared, Name=bastion)",
    );
    expect(failed.stderr).toContain("then resume with `aiplat destroy --env dev`");
    const journal = readJournal(platform);
    expect(journal.stages["stage:10.networking"]?.status).toBe("failed");
    expect(journal.stages["stage:30.eks/30.cluster"]?.status).toBe("done");
    expect(sim.terraform.applied()).toEqual(["10.networking"]);

    // The user deletes them; the cluster (its stage destroyed) no longer answers.
    sim.ledger.delete(eni.id);
    sim.ledger.delete(sg.id);
    const resumed = await run(["destroy", "--yes"]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("Resuming: the last run stopped at stage:10.networking");
    expect(resumed.stderr).toContain("The cluster does not answer");
    expect(resumed.stdout).toContain("Environment dev is gone");
    expect(resumed.stdout.match(/deleted: Terraform stage \S+/g)).toEqual([
      "deleted: Terraform stage 10.networking",
    ]);
    expect(sim.terraform.applied()).toEqual([]);
    expect(sim.ledger.hourlyCost()).toBe(0);
  });
});
