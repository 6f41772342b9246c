/**
 * Field validation for `aiplat init`, shared by the prompts (a message shown before asking again)
 * and by flags / answers files (collected into one exit-2 error). Each returns true or the reason.
 * The rules are those of terraform/00.global/variables.tf, checked before anything is written.
 */
import type { Capabilities } from "./answers.js";

export type Verdict = true | string;

/** Values end up inside HCL strings and YAML: refuse what would break out of them or interpolate. */
/** No value init writes is anywhere near this long; a huge one is a mistake (or an attack). */
const MAX_VALUE_LENGTH = 1024;

export function checkSafeText(value: string): Verdict {
  if (value.length > MAX_VALUE_LENGTH) return `must be at most ${MAX_VALUE_LENGTH} characters`;
  if (/[\r\n]/.test(value)) return "must be a single line";
  if (/["\\]/.test(value)) return "must not contain quotes or backslashes";
  if (/[$%]\{/.test(value)) return "must not contain ${ or %{ (Terraform would interpolate it)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(value))
    return "must not contain control characters";
  return true;
}

function safeThen(value: string, check: (v: string) => Verdict): Verdict {
  const safe = checkSafeText(value);
  return safe === true ? check(value) : safe;
}

const ENV_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
export function checkEnvName(value: string): Verdict {
  return safeThen(value, (v) =>
    ENV_NAME.test(v)
      ? true
      : "use 1-20 lowercase letters, digits or '-', starting with a letter and not ending with '-' (a DNS label)",
  );
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?$/;
export function checkRegion(value: string): Verdict {
  return safeThen(value, (v) =>
    REGION.test(v) ? true : "must be an AWS region name such as eu-central-1 or us-east-1",
  );
}

const PREFIX = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
export function checkPrefix(value: string): Verdict {
  return safeThen(value, (v) =>
    PREFIX.test(v)
      ? true
      : "use 3-20 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit",
  );
}

/** The smallest and largest VPC the stages accept (variables.tf: /16 to /18). */
export const VPC_PREFIX_RANGE = { min: 16, max: 18 } as const;

function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

const RFC1918: ReadonlyArray<{ base: number; bits: number; text: string }> = [
  { base: 10 * 2 ** 24, bits: 8, text: "10.0.0.0/8" },
  { base: (172 * 256 + 16) * 2 ** 16, bits: 12, text: "172.16.0.0/12" },
  { base: (192 * 256 + 168) * 2 ** 16, bits: 16, text: "192.168.0.0/16" },
];

export function checkVpcCidr(value: string): Verdict {
  return safeThen(value, (v) => {
    const match = /^([0-9.]+)\/([0-9]{1,2})$/.exec(v);
    const address = match ? parseIpv4(match[1]!) : undefined;
    if (!match || address === undefined) return "must be an IPv4 CIDR block such as 10.4.0.0/16";
    const bits = Number(match[2]);
    const { min, max } = VPC_PREFIX_RANGE;
    if (bits < min || bits > max) return `the prefix length must be /${min} to /${max}`;
    const size = 2 ** (32 - bits);
    if (address % size !== 0) {
      const network = address - (address % size);
      return `must start on its network address (${formatIpv4(network)}/${bits})`;
    }
    const inside = RFC1918.some(
      (r) => Math.floor(address / 2 ** (32 - r.bits)) === r.base / 2 ** (32 - r.bits),
    );
    return inside ? true : `must be a private (RFC 1918) range: ${RFC1918.map((r) => r.text).join(", ")}`;
  });
}

/** EKS accepts at most 40 public access CIDRs per cluster (its default quota). */
const MAX_API_CIDRS = 40;

/** Comma-separated IPv4 CIDRs → the list (spaces and empty items dropped). */
export function parseCidrList(value: string): string[] {
  return value
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

/**
 * Who may reach the public Kubernetes API: a comma list of IPv4 CIDRs such as 203.0.113.7/32
 * (cluster_config.public_access_cidrs; Terraform checks the same shape).
 */
export function checkCidrList(value: string): Verdict {
  return safeThen(value, (v) => {
    const cidrs = parseCidrList(v);
    if (cidrs.length === 0) return "list at least one IPv4 CIDR, e.g. 203.0.113.7/32";
    if (cidrs.length > MAX_API_CIDRS) return `at most ${MAX_API_CIDRS} CIDRs (the EKS limit)`;
    for (const cidr of cidrs) {
      const match = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
      if (!match || parseIpv4(match[1]!) === undefined || Number(match[2]) > 32)
        return `${JSON.stringify(cidr)} is not an IPv4 CIDR such as 203.0.113.7/32`;
    }
    return true;
  });
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

const KUBERNETES_VERSION = /^1\.[0-9]{2}$/;
export function checkKubernetesVersion(value: string, supported?: readonly string[]): Verdict {
  return safeThen(value, (v) => {
    if (!KUBERNETES_VERSION.test(v)) return "must be <major>.<minor>, e.g. 1.35";
    if (supported && supported.length > 0 && !supported.includes(v)) {
      return `EKS supports ${supported.join(", ")}`;
    }
    return true;
  });
}

const IDC_INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[0-9A-Za-z]+$/;
export function checkIdcInstanceArn(value: string): Verdict {
  return safeThen(value, (v) => {
    if (!IDC_INSTANCE_ARN.test(v))
      return "must be an Identity Center instance ARN: arn:aws:sso:::instance/ssoins-…";
    if (/X{6,}/.test(v))
      return "is the example's placeholder; use your instance ARN (aws sso-admin list-instances)";
    return true;
  });
}

/** identitystore ResourceId: an optional 10-hex prefix and a UUID (AWS API reference, UserId/GroupId). */
const IDENTITY_ID =
  /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
export function isIdentityId(value: string): boolean {
  return IDENTITY_ID.test(value);
}

/** A name to look up in the identity store (user name, display name, e-mail or group name). */
export function checkIdentityName(value: string): Verdict {
  return safeThen(value, (v) => (v.trim() === "" ? "must not be empty" : true));
}

/** What ArgoCD can clone: https:// (any host) or an SSH URL, never a local path. */
export function checkRepoUrl(value: string): Verdict {
  return safeThen(value, (v) => {
    // The host part may carry a port (host:8443): ':' is among its characters.
    if (/^https:\/\/[^\s/@]+\/\S+$/.test(v)) return true;
    if (/^ssh:\/\/[^\s/]+\/\S+$/.test(v) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/.test(v)) return true;
    return "must be a URL ArgoCD can clone: https://host/owner/repo.git (or an SSH URL)";
  });
}

/** git check-ref-format rules that matter for a branch name typed by hand. */
export function checkRevision(value: string): Verdict {
  return safeThen(value, (v) => {
    if (v === "" || v === "@") return "must be a branch, tag or commit";
    if (/[\s~^:?*[]/.test(v) || v.includes("..") || v.includes("@{") || v.startsWith("-")) {
      return "is not a valid git ref name";
    }
    if (v.startsWith("/") || v.endsWith("/") || v.endsWith(".lock") || v.endsWith(".")) {
      return "is not a valid git ref name";
    }
    // Git allows more, but a look-alike letter names a branch nobody can type or tell apart.
    if (!/^[\x21-\x7e]+$/.test(v)) return "must be printable ASCII (a branch, tag or commit)";
    if (v.length > 255) return "must be at most 255 characters";
    return true;
  });
}

export function checkDockerHubUsername(value: string): Verdict {
  return safeThen(value, (v) =>
    /^[a-z0-9][a-z0-9._-]{1,98}$/i.test(v) ? true : "must be a Docker Hub user name (letters, digits, . _ -)",
  );
}

export function checkSecretValue(value: string): Verdict {
  if (value.trim() === "") return "must not be empty";
  return checkSafeText(value);
}

/** Without EKS Auto Mode (which runs its own), what the pods ArgoCD deploys cannot run without. */
const GITOPS_NEEDS = ["networking", "kube_proxy", "coredns"] as const;

/** Cross-field rules of the cluster_config variable that init can check before writing. */
export function checkCapabilities(capabilities: Capabilities, createMngSystem = true): Verdict {
  if ((capabilities.autoscaling || capabilities.blockstorage) && !capabilities.identity) {
    return "autoscaling (Karpenter) and blockstorage (EBS CSI) authenticate through EKS Pod Identity: keep identity on";
  }
  if (capabilities.gitops) {
    const missing = GITOPS_NEEDS.filter((name) => !capabilities[name]);
    if (missing.length > 0) {
      return `gitops needs ${GITOPS_NEEDS.join(", ")} (the Applications ArgoCD deploys are pods that need the VPC CNI, Service routing and cluster DNS): turn on ${missing.join(", ")}, or gitops off`;
    }
  }
  if (capabilities.autoscaling && !createMngSystem) {
    return "autoscaling runs the Karpenter controller on the system node group, which create_mng_system = false in the tfvars turns off: turn autoscaling off or set create_mng_system = true";
  }
  return true;
}
