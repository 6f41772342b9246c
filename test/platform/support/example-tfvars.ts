import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../support/paths.js";
import { makeTempDir } from "../../support/temp.js";

export const EXAMPLE_TFVARS = join(repoRoot, "terraform/00.global/vars/example.tfvars");

/**
 * example.tfvars with its placeholders filled in as `aiplat init` would: the raw example is
 * rejected by Terraform on purpose (issue 17 point 15).
 */
export function filledExampleTfvars(): string {
  const path = join(makeTempDir(), "filled.tfvars");
  writeFileSync(
    path,
    readFileSync(EXAMPLE_TFVARS, "utf8")
      .replace("ssoins-XXXXXXXXXXXXXXXX", "ssoins-7223a1b2c3d4e5f6")
      .replace('"your-sso-user-id"', '"906744a8-1234-5678-9abc-def012345678"'),
  );
  return path;
}
