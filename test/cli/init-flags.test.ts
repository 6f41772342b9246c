import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import {
  FULL_FLAGS,
  INSTANCE_ARN,
  JANE_ID,
  makeInitRepo,
  mockDirectory,
  readIf,
  resetAws,
  runInit,
  tfvarsFile,
} from "../fixtures/init/harness.js";

afterEach(() => resetAws());

describe("aiplat init without a terminal", () => {
  it("writes the tfvars from flags alone, records the environment and names the next command", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const text = readIf(tfvarsFile(repo))!;
    expect(text.startsWith("# Environment \"dev\", written by `aiplat init`")).toBe(true);
    const data = await parseTfvarsText("dev.tfvars", text);
    expect(data.region).toBe("eu-west-1");
    expect(data.vpc_cidr).toBe("10.8.0.0/16");
    expect(data.cluster_config).toMatchObject({
      kubernetes_version: "1.34",
      capabilities_config: {
        argocd_idc_instance_arn: INSTANCE_ARN,
        argocd_idc_region: "us-east-1",
        argocd_rbac_mappings: [{ role: "ADMIN", identities: [{ id: JANE_ID, type: "SSO_USER" }] }],
      },
    });
    expect(readIf(join(repo.dir, ".aiplat", "active-env"))).toBe("dev\n");
    expect(run.stdout).toContain("Next: aiplat up");
  });
});
