import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo, STAGES } from "../fixtures/stages/harness.js";
import { hasTerraform, skipNote } from "../support/tools.js";

// Real terraform runs of several stages: generous on a busy 2-core machine (not a timing assertion).
vi.setConfig({ testTimeout: 120_000 });

interface Outcome {
  stage: string;
  result: string;
  summary?: { add: number; change: number; destroy: number };
}

describe.skipIf(!hasTerraform())(
  `aiplat up on offline fixture stages${skipNote("terraform", hasTerraform())}`,
  () => {
    it("applies every enabled stage in order, skips the gated-off one, and a second run changes nothing", async () => {
      const repo = makeStagesRepo();
      const first = await repo.run(["up", "--yes"]);
      expect(first.exitCode, first.stderr).toBe(0);
      const lines = first.stdout.split("\n");
      const row = (stage: string) => lines.find((l) => l.startsWith(`${stage} `)) ?? "";
      expect(row("10.networking")).toMatch(/applied\s+3\s+0\s+0/);
      expect(row("30.eks/30.cluster")).toMatch(/applied\s+2\s+0\s+0/);
      expect(row("40.observability/40.aws-native-observability")).toMatch(/applied/);
      expect(row("40.observability/45.aws-oss-observability")).toMatch(/skipped.*aws_oss_tooling/);
      // Stage order is the platform's: networking before IAM before the cluster before add-ons.
      const order = STAGES.map((s) => first.stdout.indexOf(`${s} `));
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(first.stdout).toContain("aiplat bootstrap --env dev");
      // Progress names the resource being created and each stage's elapsed time.
      expect(first.stderr).toContain("creating terraform_data.cluster");
      expect(first.stderr).toMatch(/30\.eks\/30\.cluster: applied \(\+2 to add.*\(\d+s\)/);

      const journal = repo.journal();
      expect(journal.stages["30.eks/35.addons"]?.status).toBe("done");
      expect(journal.stages["40.observability/45.aws-oss-observability"]?.status).toBe("skipped");

      // The cluster's outputs are cached for later commands, without the sensitive one.
      const cluster = JSON.parse(readFileSync(join(repo.dir, ".aiplat", "dev", "cluster.json"), "utf8"));
      expect(cluster).toMatchObject({
        cluster_name: "fx-dev",
        region: "eu-central-1",
        argocd_capability_name: "fx-dev-argocd",
      });
      expect(JSON.stringify(cluster)).not.toContain("fixture-secret");
      expect(existsSync(repo.logFile("30.eks/30.cluster", "apply"))).toBe(true);
      expect(readFileSync(repo.logFile("30.eks/30.cluster", "apply"), "utf8")).not.toContain(
        "fixture-secret-",
      );

      const second = await repo.run(["up", "--yes", "--json"]);
      expect(second.exitCode, second.stderr).toBe(0);
      const stages = second.json().stages as Outcome[];
      expect(stages.map((s) => s.result)).toEqual([
        "no-changes",
        "no-changes",
        "no-changes",
        "no-changes",
        "no-changes",
        "skipped",
      ]);
    });
  },
);

describe.skipIf(!hasTerraform())(
  `aiplat up failure and resume${skipNote("terraform", hasTerraform())}`,
  () => {
    it("stops at a failing stage 3 with terraform's error and the resume command, then resumes there", async () => {
      const repo = makeStagesRepo();
      repo.setVar("fail_cluster", "true");
      const failed = await repo.run(["up", "--yes"]);
      expect(failed.exitCode).toBe(5);
      expect(failed.stderr).toContain("30.eks/30.cluster");
      expect(failed.stderr).toContain("control plane failed to start");
      expect(failed.stderr).toContain("aiplat up --env dev");
      expect(failed.stderr).toContain(repo.logFile("30.eks/30.cluster", "apply"));
      const journal = repo.journal();
      expect(journal.stages["10.networking"]?.status).toBe("done");
      expect(journal.stages["20.iam-roles-for-eks"]?.status).toBe("done");
      expect(journal.stages["30.eks/30.cluster"]?.status).toBe("failed");
      expect(journal.stages["30.eks/35.addons"]).toBeUndefined();

      repo.setVar("fail_cluster", "false");
      const resumed = await repo.run(["up", "--yes", "--json"]);
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      const stages = resumed.json().stages as Outcome[];
      const result = (s: string) => stages.find((o) => o.stage === s)?.result;
      expect(result("10.networking")).toBe("no-changes");
      expect(result("20.iam-roles-for-eks")).toBe("no-changes");
      expect(result("30.eks/30.cluster")).toBe("applied");
      expect(result("30.eks/35.addons")).toBe("applied");
      expect(resumed.json().resumedFrom).toBe("30.eks/30.cluster");
      expect(repo.journal().stages["30.eks/30.cluster"]?.status).toBe("done");
    });

    it("--from and --only limit the stages touched, and a journaled-done stage that drifted is applied again", async () => {
      const repo = makeStagesRepo();
      expect((await repo.run(["up", "--yes"])).exitCode).toBe(0);
      // Drift: the networking input changes, although the journal says the stage is done.
      repo.setVar("vpc_cidr", '"10.1.0.0/16"');
      const only = await repo.run(["up", "--yes", "--json", "--only", "networking"]);
      expect(only.exitCode, only.stderr).toBe(0);
      const stages = only.json().stages as Outcome[];
      expect(stages.find((s) => s.stage === "10.networking")).toMatchObject({
        result: "applied",
        summary: { change: 3 },
      });
      expect(stages.filter((s) => s.result === "not-selected").map((s) => s.stage)).toEqual(STAGES.slice(1));

      const from = await repo.run(["up", "--yes", "--json", "--from", "30.eks/35.addons"]);
      expect(from.exitCode, from.stderr).toBe(0);
      const fromStages = from.json().stages as Outcome[];
      expect(fromStages.slice(0, 3).map((s) => s.result)).toEqual([
        "not-selected",
        "not-selected",
        "not-selected",
      ]);
      expect(fromStages[3]?.result).toBe("no-changes");

      const bad = await repo.run(["up", "--yes", "--from", "nope"]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain("10.networking");
    });
  },
);

describe.skipIf(!hasTerraform())(`aiplat up and Ctrl-C${skipNote("terraform", hasTerraform())}`, () => {
  it("lets terraform stop during a slow apply, exits 130 with the resume command, and the re-run completes", async () => {
    const repo = makeStagesRepo();
    repo.setVar("slow_seconds", "60");
    const controller = new AbortController();
    const running = repo.run(["up", "--yes"], { signal: controller.signal });
    const log = repo.logFile("30.eks/35.addons", "apply");
    // Abort once terraform is inside the slow local-exec.
    for (let i = 0; i < 600; i++) {
      if (existsSync(log) && readFileSync(log, "utf8").includes("sleep 60")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    controller.abort();
    const stopped = await running;
    expect(stopped.exitCode).toBe(130);
    expect(stopped.stderr).toContain("aiplat up --env dev");
    expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("interrupted");

    const dir = repo.stageDir("30.eks/35.addons");
    expect(existsSync(join(dir, ".terraform.tfstate.lock.info"))).toBe(false);
    const list = execFileSync("terraform", ["state", "list"], {
      cwd: dir,
      env: { ...process.env, ...repo.env, TF_WORKSPACE: "dev" },
      encoding: "utf8",
    });
    expect(list).toContain("data.terraform_remote_state.cluster");

    repo.setVar("slow_seconds", "0");
    const resumed = await repo.run(["up", "--yes"]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(repo.journal().stages["30.eks/35.addons"]?.status).toBe("done");
  });
});
