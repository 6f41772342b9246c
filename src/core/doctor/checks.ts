/** doctor's vocabulary: one line per check, a status, and the fix when it is not ok. */

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** The command or action that fixes a warn/fail. */
  fix?: string | undefined;
}

export function ok(id: string, title: string, detail: string): CheckResult {
  return { id, title, status: "ok", detail };
}
export function warn(id: string, title: string, detail: string, fix: string): CheckResult {
  return { id, title, status: "warn", detail, fix };
}
export function fail(id: string, title: string, detail: string, fix: string): CheckResult {
  return { id, title, status: "fail", detail, fix };
}
export function skip(id: string, title: string, detail: string): CheckResult {
  return { id, title, status: "skip", detail };
}

/** Compares dotted versions numerically ("1.10.0" > "1.9.8"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/, "")
    .split(/[.+-]/)
    .map((p) => Number.parseInt(p, 10) || 0);
  const pb = b
    .replace(/^v/, "")
    .split(/[.+-]/)
    .map((p) => Number.parseInt(p, 10) || 0);
  const diffs = Array.from({ length: Math.max(pa.length, pb.length) }, (_, i) => (pa[i] ?? 0) - (pb[i] ?? 0));
  return Math.sign(diffs.find((diff) => diff !== 0) ?? 0);
}

export const MIN_NODE = "20.19.0";
/**
 * S3-native state locking (`use_lockfile`) arrived in Terraform 1.10; the stages also use
 * write-only arguments (Docker Hub token kept out of state), which need 1.11, and declare
 * `required_version = ">= 1.11"`. doctor asks for what the stages need.
 */
export const MIN_TERRAFORM = "1.11.0";
/** Below this, a long `aiplat up` or `destroy` may outlive the credentials. */
export const CREDENTIAL_WARN_MINUTES = 60;

export function checkNode(version: string): CheckResult {
  return compareVersions(version, MIN_NODE) >= 0
    ? ok("node", "Node.js", `v${version.replace(/^v/, "")}`)
    : fail(
        "node",
        "Node.js",
        `v${version.replace(/^v/, "")} is older than ${MIN_NODE}`,
        `Install Node.js ${MIN_NODE} or newer.`,
      );
}

export function checkTerraform(version: string | undefined): CheckResult {
  if (version === undefined) {
    return fail(
      "terraform",
      "Terraform",
      "not found on PATH",
      `Install Terraform ${MIN_TERRAFORM} or newer.`,
    );
  }
  return compareVersions(version, MIN_TERRAFORM) >= 0
    ? ok("terraform", "Terraform", `v${version}`)
    : fail(
        "terraform",
        "Terraform",
        `v${version} is older than ${MIN_TERRAFORM} (the stages need ≥ 1.11: S3-native locking and write-only secrets)`,
        `Install Terraform ${MIN_TERRAFORM} or newer.`,
      );
}

export interface CredentialFacts {
  /** The identity, or the reason it could not be read. */
  identity?: { account: string; arn: string } | undefined;
  error?: string | undefined;
  expiresAt?: Date | undefined;
  now: number;
  relogin: string;
}

export function checkCredentials(facts: CredentialFacts): CheckResult {
  const title = "AWS credentials";
  if (!facts.identity) {
    return fail("aws-credentials", title, facts.error ?? "no credentials found", facts.relogin);
  }
  const who = `account ${facts.identity.account} as ${facts.identity.arn}`;
  if (facts.expiresAt === undefined) return ok("aws-credentials", title, `${who} (long-lived keys)`);
  const minutes = Math.floor((facts.expiresAt.getTime() - facts.now) / 60_000);
  if (minutes <= 0) return fail("aws-credentials", title, `${who}: expired`, facts.relogin);
  if (minutes < CREDENTIAL_WARN_MINUTES) {
    return warn(
      "aws-credentials",
      title,
      `${who}: valid for ${minutes} more minutes, less than a long run needs`,
      `Renew before a long command: ${facts.relogin}`,
    );
  }
  return ok("aws-credentials", title, `${who}, valid for ${formatMinutes(minutes)}`);
}

function formatMinutes(minutes: number): string {
  return minutes >= 120 ? `${Math.floor(minutes / 60)} h` : `${minutes} min`;
}
