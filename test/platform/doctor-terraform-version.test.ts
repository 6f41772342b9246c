import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareVersions, MIN_TERRAFORM } from "../../src/core/doctor/checks.js";
import { repoRoot } from "../support/paths.js";

function versionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === ".terraform") return [];
    if (statSync(path).isDirectory()) return versionFiles(path);
    return name.endsWith(".tf") ? [path] : [];
  });
}

describe("doctor's Terraform minimum", () => {
  it("is what the stages declare, so a passing doctor means terraform init will accept the binary", () => {
    const minimums = versionFiles(join(repoRoot, "terraform"))
      .flatMap((file) => [
        ...readFileSync(file, "utf8").matchAll(/required_version\s*=\s*"[^"]*>=\s*([\d.]+)/g),
      ])
      .map((match) => match[1]!);
    expect(minimums.length).toBeGreaterThan(0);
    const highest = minimums.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
    expect(compareVersions(MIN_TERRAFORM, highest)).toBe(0);
  });
});
