import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository under test (this checkout). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** ../shared next to the checkout: design docs, upstream CRDs, module interfaces (may be absent). */
export const sharedDir = resolve(repoRoot, "..", "shared");

export const sharedCrdsDir = join(sharedDir, "crds");
export const sharedModulesDir = join(sharedDir, "terraform-modules");

export function sharedAvailable(sub: string): boolean {
  return existsSync(join(sharedDir, sub));
}
