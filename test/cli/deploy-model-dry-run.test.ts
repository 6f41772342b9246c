import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { renderInstance } from "../../src/core/kro/render.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

const rgd = parse(readFileSync(join(repoRoot, "platform/kro-definitions/inference-endpoint.yaml"), "utf8"));

function repo() {
  const r = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  return { r, env: { ...gitTestEnv(join(r.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

describe("deploy-model --dry-run", () => {
  for (const [label, argv, model] of [
    ["a catalog model", ["gemma-4b"], "google/gemma-3-4b-it"],
    [
      "a custom model",
      [
        "coder",
        "--model",
        "Qwen/Qwen2.5-Coder-14B-Instruct",
        "--max-replicas",
        "2",
        "--max-model-len",
        "16384",
      ],
      "Qwen/Qwen2.5-Coder-14B-Instruct",
    ],
  ] as const) {
    it(`prints the InferenceEndpoint and exactly the renderer's resources for ${label}, writing nothing`, async () => {
      const { r, env } = repo();
      const head = r.git("rev-parse", "HEAD");
      const before = readdirSync(join(r.dir, "platform/workloads"));
      const run = await runCli(["deploy-model", ...argv, "--dry-run"], { cwd: r.dir, env });
      expect(run.exitCode).toBe(0);
      const docs = parseAllDocuments(run.stdout).map((d) => d.toJS());
      const [endpoint, ...resources] = docs;
      expect(endpoint).toMatchObject({
        kind: "InferenceEndpoint",
        metadata: { name: argv[0] },
        spec: { model },
      });
      const expected = renderInstance(rgd, endpoint).resources.map((x) => x.object);
      expect(resources).toEqual(expected);
      expect(resources.map((x) => x.kind)).toEqual(["RayService", "Job"]);
      // The serve config Ray receives carries the model and integer limits.
      expect(resources[0].spec.serveConfigV2).toContain(`model_id: ${model}`);
      expect(readdirSync(join(r.dir, "platform/workloads"))).toEqual(before);
      expect(r.git("rev-parse", "HEAD")).toBe(head);
      expect(r.git("status", "--porcelain")).toBe("");
    });
  }

  it("--json carries the endpoint, the resources and the fit", async () => {
    const { r, env } = repo();
    const run = await runCli(["deploy-model", "llama31-8b", "--dry-run", "--json"], { cwd: r.dir, env });
    expect(run.exitCode).toBe(0);
    const out = run.json() as {
      endpoint: unknown;
      resources: unknown[];
      fit: { verdict: string; hourlyUsd: { min: number } };
    };
    expect(out.resources).toEqual(renderInstance(rgd, out.endpoint).resources.map((x) => x.object));
    expect(out.fit.verdict).toBe("fits");
    expect(out.fit.hourlyUsd.min).toBeGreaterThan(0);
  });
});
