import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestRepo } from "./git-repo.js";

export const ARGOCD_PLACEHOLDER = "https://example.invalid/set-by-aiplat-init.git";

/**
 * What `aiplat init` does to argocd/ (repoURL → this fork), with the bare test remote's file://
 * URL, committed: bootstrap refuses the placeholder, and the simulator clones only real remotes.
 */
export function pointArgocdAtRemote(repo: TestRepo, url = `file://${repo.remote}`): void {
  const dir = join(repo.dir, "argocd");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, "utf8").replaceAll(ARGOCD_PLACEHOLDER, url));
  }
  repo.git("commit", "-q", "-m", "argocd/ points at this fork", "--", "argocd");
}
