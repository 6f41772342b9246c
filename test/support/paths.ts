import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prerequisite } from "./tools.js";

/** The repository under test (this checkout). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** ../shared next to the checkout: design docs, upstream CRDs, module interfaces (may be absent). */
export const sharedDir = resolve(repoRoot, "..", "shared");

export const sharedCrdsDir = join(sharedDir, "crds");
export const sharedModulesDir = join(sharedDir, "terraform-modules");

/** Whether ../shared/<sub> is there; under CI its absence fails the run (see prerequisite). */
export function sharedAvailable(sub: string): boolean {
  return prerequisite(join(sharedDir, sub), existsSync(join(sharedDir, sub)));
}
