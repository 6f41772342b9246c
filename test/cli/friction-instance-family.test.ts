import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { gpuNodes, type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

// Issue 18, point 19: pinning an endpoint to GPU families.
function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  return { r, env: { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked by field name
  [key: string]: any;
}

function workerFamilies(resources: Json[]): unknown {
  const rayService = resources.find((r) => r.kind === "RayService");
  return rayService?.spec.rayClusterConfig.workerGroupSpecs[0].template.spec.affinity.nodeAffinity
    .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
}

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

describe("--instance-family", () => {
  it("the no-fit suggestion names it, and the suggested flags deploy, pinned in the worker's node affinity", async () => {
    const { r, env } = repo();
    const refused = await runCli(["deploy-model", "llama33-70b", "--gpus", "4"], { cwd: r.dir, env });
    expect(refused.exitCode).toBe(2);
    const suggested = /or (--gpus 4 --instance-family g6e) \(/.exec(refused.stderr)?.[1] ?? "";
    expect(suggested).toBe("--gpus 4 --instance-family g6e");

    const argv = ["deploy-model", "llama33-70b", ...suggested.split(" "), "--max-replicas", "2"];
    const preview = await runCli([...argv, "--dry-run", "--json"], { cwd: r.dir, env });
    expect(preview.exitCode, preview.stderr).toBe(0);
    const doc = preview.json() as Json;
    expect(doc.fit).toMatchObject({ verdict: "fits", families: [{ family: "g6e", fits: true }] });
    expect(doc.fit.instanceTypes.every((t: string) => t.startsWith("g6e."))).toBe(true);
    expect(workerFamilies(doc.resources)).toEqual([
      { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g6e"] },
    ]);

    const deployed = await runCli([...argv, "--no-push"], { cwd: r.dir, env });
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(parse(r.git("show", "HEAD:platform/workloads/llama33-70b.yaml")).spec.instanceFamilies).toEqual([
      "g6e",
    ]);
    // Kept when not given again: a scale does not unpin it.
    expect(
      (await runCli(["scale", "llama33-70b", "--max-replicas", "1", "--no-push"], { cwd: r.dir, env }))
        .exitCode,
    ).toBe(0);
    expect(parse(r.git("show", "HEAD:platform/workloads/llama33-70b.yaml")).spec.instanceFamilies).toEqual([
      "g6e",
    ]);
  });

  it("is repeatable and comma-separated; an unknown family is exit 2 naming the NodePool's", async () => {
    const { r, env } = repo();
    const run = await runCli(
      [
        "deploy-model",
        "qwen3-4b",
        "--instance-family",
        "g6,g5",
        "--instance-family",
        "g6",
        "--dry-run",
        "--json",
      ],
      { cwd: r.dir, env },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect((run.json() as Json).spec.instanceFamilies).toEqual(["g5", "g6"]);
    const bad = await runCli(["deploy-model", "qwen3-4b", "--instance-family", "p5"], { cwd: r.dir, env });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("p5 is not a GPU family of the gpu-inference NodePool (g5, g6, g6e)");
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("Karpenter launches the pinned family, not the cheapest one", async () => {
    platform = await startSimPlatform();
    const run = await runCli(
      ["deploy-model", "qwen3-4b", "--instance-family", "g5", "--wait", "--timeout", "8h"],
      {
        cwd: platform.repo.dir,
        env: platform.env,
        clock: scaledClock(),
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const families = gpuNodes(platform.sim).map(
      (n) => n.metadata?.labels?.["karpenter.k8s.aws/instance-family"],
    );
    expect(families).toEqual(["g5"]);
  }, 90_000);
});
