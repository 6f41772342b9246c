import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parseStageGate } from "../../src/core/stages/stages.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";
import { hasUpperBound, isExactVersion } from "./support/terraform-constraints.js";
import {
  asRecord,
  listFiles,
  loadStage,
  loadStages,
  parseHcl,
  type StageConfig,
} from "./support/terraform-load.js";
import { findDuplicateDeclarations, findUndeclaredReferences } from "./support/terraform-references.js";

const terraformRoot = join(repoRoot, "terraform");

/** Resources of a stage that would be created even with its gate switched off. */
function ungatedResources(stage: StageConfig): string[] {
  const out: string[] = [];
  for (const { name: file, json } of stage.files) {
    for (const [type, byName] of Object.entries(asRecord(json.resource))) {
      for (const [name, bodies] of Object.entries(asRecord(byName))) {
        const body = asRecord((bodies as unknown[])[0]);
        if (!("count" in body) && !("for_each" in body)) out.push(`${file}: ${type}.${name}`);
      }
    }
  }
  return out;
}

function runFmtCheck(dir: string): { status: number | null; output: string } {
  const result = spawnSync("terraform", ["fmt", "-check", "-recursive", "-no-color", dir], {
    encoding: "utf8",
    env: { ...process.env, ...terraformTestEnv() },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasTerraform())(`terraform fmt${skipNote("terraform", hasTerraform())}`, () => {
  test("every file under terraform/ is formatted (terraform fmt -check -recursive)", () => {
    const { status, output } = runFmtCheck(terraformRoot);
    expect(output.replace(/.*CLI configuration[\s\S]*?╵\n?/g, "").trim()).toBe("");
    expect(status).toBe(0);
  });

  test("the check fails on a misaligned file, naming it", () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "main.tf"), 'locals {\n  a = 1\n  long_name = "x"\n}\n');
    const { status, output } = runFmtCheck(dir);
    expect(status).not.toBe(0);
    expect(output).toContain("main.tf");
  });
});

describe("every Terraform file parses", () => {
  const files = listFiles(terraformRoot).filter((f) => f.endsWith(".tf") || f.endsWith(".tfvars"));

  test("there are stage files and the example var file to check", () => {
    expect(files).toContain("00.global/vars/example.tfvars");
    expect(files.filter((f) => f.endsWith(".tf")).length).toBeGreaterThan(30);
  });

  test.each(files)("%s", async (file) => {
    await expect(parseHcl(file, readFileSync(join(terraformRoot, file), "utf8"))).resolves.toBeTypeOf(
      "object",
    );
  });

  test("the parser rejects broken HCL (the check can fail)", async () => {
    await expect(parseHcl("broken.tf", 'resource "a" "b" {\n  x =\n}\n')).rejects.toThrow(
      /Invalid expression/,
    );
  });
});

describe("stage structure", () => {
  let stages: StageConfig[] = [];
  beforeAll(async () => {
    stages = await loadStages(terraformRoot);
  });

  test("each stage has an S3 backend with S3-native locking and nothing else in it (the CLI supplies bucket, key, region)", () => {
    for (const stage of stages) {
      expect(stage.backends, stage.stage).toHaveLength(1);
      const [backend] = stage.backends;
      expect(backend?.type, stage.stage).toBe("s3");
      expect(backend?.body.use_lockfile, stage.stage).toBe(true);
      for (const key of ["bucket", "key", "region", "dynamodb_table"]) {
        expect(backend?.body, `${stage.stage} must leave ${key} to -backend-config`).not.toHaveProperty(key);
      }
    }
  });

  test("each stage pins every provider it uses (source + a version with an upper bound) and its Terraform version", () => {
    for (const stage of stages) {
      expect(stage.requiredVersion, stage.stage).toBeTruthy();
      expect(stage.requiredProviders.get("aws")?.version, stage.stage).toBe("~> 6.28");
      for (const [name, spec] of stage.requiredProviders) {
        expect(spec.source, `${stage.stage}: provider ${name}`).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
        expect(
          spec.version && hasUpperBound(spec.version),
          `${stage.stage}: provider ${name} "${spec.version}"`,
        ).toBe(true);
      }
      const used = new Set<string>();
      for (const { json } of stage.files) {
        for (const kind of ["resource", "data", "ephemeral"]) {
          for (const type of Object.keys((json[kind] as Record<string, unknown>) ?? {}))
            used.add(type.split("_")[0] ?? type);
        }
        for (const p of Object.keys((json.provider as Record<string, unknown>) ?? {})) used.add(p);
      }
      used.delete("terraform"); // terraform_remote_state is built in
      for (const p of used)
        expect(stage.requiredProviders.has(p), `${stage.stage} uses provider ${p} without pinning it`).toBe(
          true,
        );
    }
  });

  test("each registry module is pinned to an exact version", () => {
    const modules = stages.flatMap((s) =>
      s.modules.map((m) => ({ where: `${s.stage}/${m.file} module.${m.name}`, version: m.body.version })),
    );
    expect(modules.map((m) => m.where)).toEqual(
      expect.arrayContaining([
        "10.networking/main.tf module.vpc",
        "30.eks/30.cluster/eks.tf module.eks",
        "30.eks/30.cluster/karpenter.tf module.karpenter",
      ]),
    );
    for (const m of modules)
      expect(typeof m.version === "string" && isExactVersion(m.version), m.where).toBe(true);
  });

  test("no stage declares a name twice or refers to a local, resource, data source or module it does not declare", () => {
    const problems = stages.flatMap((s) =>
      [...findDuplicateDeclarations(s), ...findUndeclaredReferences(s)].map(
        (p) => `${s.stage}: ${p.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  test("in an optional (gated) stage every resource is count- or for_each-gated, so the stage creates nothing when off", () => {
    const gated = stages.filter((s) => parseStageGate(readFileSync(join(s.dir, "backend.tf"), "utf8")));
    expect(gated.map((s) => s.stage)).toHaveLength(2);
    expect(gated.flatMap((s) => ungatedResources(s).map((r) => `${s.stage}/${r}`))).toEqual([]);
  });

  test("the gating check names a resource without count", async () => {
    const dir = makeTempDir();
    const stage = "40.observability/40.aws-native-observability";
    cpSync(join(terraformRoot, stage), join(dir, stage), { recursive: true });
    writeFileSync(
      join(dir, stage, "extra.tf"),
      'resource "aws_cloudwatch_log_group" "always" {\n  name = "x"\n}\n',
    );
    expect(ungatedResources(await loadStage(dir, stage))).toEqual([
      "extra.tf: aws_cloudwatch_log_group.always",
    ]);
  });

  test("the reference check fails on a stage that redeclares a local and refers to a missing resource", async () => {
    const dir = makeTempDir();
    cpSync(join(terraformRoot, "10.networking"), join(dir, "10.networking"), { recursive: true });
    writeFileSync(
      join(dir, "10.networking", "broken.tf"),
      'locals {\n  cluster_name = "x"\n}\n\noutput "y" {\n  value = aws_vpc_endpoint.s4.id\n}\n',
    );
    const stage = await loadStage(dir, "10.networking");
    expect(findDuplicateDeclarations(stage).map((p) => p.name)).toEqual(["cluster_name"]);
    expect(findUndeclaredReferences(stage).map((p) => `${p.file} ${p.name}`)).toEqual([
      "broken.tf aws_vpc_endpoint.s4",
    ]);
  });
});
