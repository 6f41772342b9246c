import { spawnSync } from "node:child_process";

const cache = new Map<string, boolean>();

/**
 * CI runs every test: there, a missing prerequisite is a broken CI machine, not a reason to skip.
 * `.ci/run` sets CI=true; a clone elsewhere (a laptop without kubectl) still skips, saying why.
 */
export const inCi = (): boolean => process.env.CI === "true" || process.env.CI === "1";

/**
 * The one place that decides whether a test needing `what` may skip: returns whether it is present,
 * and throws under CI when it is not, so the test file fails to load and the run goes red.
 */
export function prerequisite(what: string, present: boolean): boolean {
  if (!present && inCi()) {
    throw new Error(`CI runs every test, but ${what} is missing on this machine (outside CI the tests skip)`);
  }
  return present;
}

/** Whether a binary answers on PATH (terraform, kubectl, git); used to skip with a visible reason. */
export function hasBinary(name: string, versionArgs: string[] = ["version"]): boolean {
  const cached = cache.get(name);
  if (cached !== undefined) return prerequisite(name, cached);
  const result = spawnSync(name, versionArgs, { stdio: "ignore", timeout: 10_000 });
  const ok = result.status === 0;
  cache.set(name, ok);
  return prerequisite(name, ok);
}

export const hasTerraform = (): boolean => hasBinary("terraform", ["version"]);
export const hasKubectl = (): boolean => hasBinary("kubectl", ["version", "--client"]);
export const hasGit = (): boolean => hasBinary("git", ["--version"]);

/** Title suffix for describe.skipIf so a skipped suite says why it did not run. */
export function skipNote(binary: string, present: boolean): string {
  return present ? "" : ` (skipped: ${binary} is not installed)`;
}
