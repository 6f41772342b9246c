import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProcessRunner } from "../../src/adapters/process.js";
import { createTerraform, errorLines, type TerraformProgress } from "../../src/adapters/terraform.js";
import { Redactor } from "../../src/core/redact.js";
import { makeTempDir } from "../support/temp.js";
import { terraformTestEnv } from "../support/terraform-env.js";
import { hasTerraform, skipNote } from "../support/tools.js";

const STAGE = `
variable "fail" {
  type    = bool
  default = false
}

resource "terraform_data" "thing" {
  input = "v1"
  provisioner "local-exec" {
    command = var.fail ? "echo 'quota exceeded for thing' >&2; exit 1" : "true"
  }
}

output "endpoint" {
  value = "https://thing.example"
}

output "admin_password" {
  value     = "pw-\${terraform_data.thing.id}"
  sensitive = true
}
`;

function stage() {
  const dir = makeTempDir("aiplat-tfstage-");
  writeFileSync(join(dir, "main.tf"), STAGE);
  writeFileSync(join(dir, "backend.tf"), 'terraform {\n  backend "local" {}\n}\n');
  const logDir = makeTempDir("aiplat-tflogs-");
  const redactor = new Redactor();
  const tf = createTerraform({
    runner: createProcessRunner(redactor, { ...process.env, ...terraformTestEnv() }),
    stageDir: dir,
    stage: "10.thing",
    logDir,
    redactor,
  });
  return { dir, logDir, redactor, tf };
}

describe.skipIf(!hasTerraform())(`terraform adapter${skipNote("terraform", hasTerraform())}`, () => {
  it("plans to a file, streams the resource being created, applies, and is idempotent", async () => {
    const { dir, logDir, tf } = stage();
    await tf.init();
    await tf.selectWorkspace("dev");
    const planFile = join(dir, "p.tfplan");
    expect(await tf.plan(planFile, [])).toBe(true);
    const progress: TerraformProgress[] = [];
    await tf.apply(planFile, [], (p) => progress.push(p));
    expect(progress).toContainEqual(
      expect.objectContaining({ type: "apply_start", address: "terraform_data.thing", action: "create" }),
    );
    expect(progress).toContainEqual(
      expect.objectContaining({ type: "apply_complete", address: "terraform_data.thing" }),
    );
    expect(await tf.plan(planFile, [])).toBe(false);
    expect(readdirSync(logDir).sort()).toEqual([
      "10.thing-apply.log",
      "10.thing-init.log",
      "10.thing-plan.log",
      "10.thing-workspace.log",
    ]);
  });

  it("registers sensitive outputs as secrets and never logs them", async () => {
    const { dir, logDir, redactor, tf } = stage();
    await tf.init();
    await tf.selectWorkspace("dev");
    await tf.plan(join(dir, "p.tfplan"), []);
    await tf.apply(join(dir, "p.tfplan"), []);
    const outputs = await tf.output();
    const secret = outputs.admin_password?.value as string;
    expect(secret).toMatch(/^pw-/);
    expect(outputs.endpoint).toMatchObject({ value: "https://thing.example", sensitive: false });
    expect(redactor.redact(`the password is ${secret}`)).not.toContain(secret);
    for (const f of readdirSync(logDir)) expect(readFileSync(join(logDir, f), "utf8")).not.toContain(secret);
  });

  it("fails with terraform's error lines and the log path", async () => {
    const { dir, tf } = stage();
    const vars = join(dir, "fail.tfvars");
    writeFileSync(vars, "fail = true\n");
    await tf.init();
    await tf.selectWorkspace("dev");
    await tf.plan(join(dir, "p.tfplan"), [vars]);
    const error = await tf.apply(join(dir, "p.tfplan"), [vars]).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 5, code: "terraform-failed" });
    expect((error as Error).message).toContain("quota exceeded for thing");
    expect((error as { details: { log: string } }).details.log).toBe(tf.logFile("apply"));
  });
});

describe("terraform error lines", () => {
  it("keeps each Error: block of plain output, without the box drawing", () => {
    const text =
      "Initializing...\n╷\n│ Error: Failed to get existing workspaces\n│ \n│ S3 bucket does not exist.\n╵\nmore\n";
    expect(errorLines(text)).toEqual([
      "Error: Failed to get existing workspaces",
      "S3 bucket does not exist.",
    ]);
  });
});
