import { spawnSync } from "node:child_process";

const cache = new Map<string, boolean>();

/** Whether a binary answers on PATH (terraform, kubectl, git); used to skip with a visible reason. */
export function hasBinary(name: string, versionArgs: string[] = ["version"]): boolean {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const result = spawnSync(name, versionArgs, { stdio: "ignore", timeout: 10_000 });
  const ok = result.status === 0;
  cache.set(name, ok);
  return ok;
}

export const hasTerraform = (): boolean => hasBinary("terraform", ["version"]);
export const hasKubectl = (): boolean => hasBinary("kubectl", ["version", "--client"]);
export const hasGit = (): boolean => hasBinary("git", ["--version"]);

/** Title suffix for describe.skipIf so a skipped suite says why it did not run. */
export function skipNote(binary: string, present: boolean): string {
  return present ? "" : ` (skipped: ${binary} is not installed)`;
}
