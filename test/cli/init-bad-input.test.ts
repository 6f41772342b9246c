import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FULL_FLAGS, mockDirectory, resetAws } from "../fixtures/init/harness.js";
import { testAwsFactory } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

beforeEach(() => mockDirectory());
afterEach(() => resetAws());

/** --repo-url and --revision given: validation alone decides, no git needed. */
const BASE = [...FULL_FLAGS, "--repo-url", "https://github.com/me/aiplat.git", "--revision", "main"];

function withFlag(flag: string, value: string): string[] {
  const i = BASE.indexOf(flag);
  return i >= 0 ? [...BASE.slice(0, i), flag, value, ...BASE.slice(i + 2)] : [...BASE, flag, value];
}

function makeRoot(files: Record<string, string> = {}): string {
  const root = makeTempDir("aiplat-init-bad-");
  for (const dir of ["terraform/00.global/vars", "platform"]) mkdirSync(join(root, dir), { recursive: true });
  cpSync(join(repoRoot, "argocd"), join(root, "argocd"), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(root, path), "utf8");
    }
  };
  walk(".");
  return out;
}

async function expectRejected(argv: string[], expected: string | RegExp, files: Record<string, string> = {}) {
  const root = makeRoot(files);
  const before = snapshot(root);
  const run = await runCli(["init", ...argv], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: root, NO_COLOR: "1" },
    adapters: { aws: testAwsFactory() },
  });
  expect(run.exitCode, run.stderr).toBe(2);
  expect(run.stderr).toMatch(expected);
  // Nothing written: no tfvars, no .aiplat/, argocd/ untouched.
  expect(snapshot(root)).toEqual(before);
  expect(existsSync(join(root, ".aiplat"))).toBe(false);
}

const CASES: Array<[string, string[], string | RegExp]> = [
  ["a public VPC range", withFlag("--vpc-cidr", "11.0.0.0/16"), "RFC 1918"],
  ["a VPC larger than /16", withFlag("--vpc-cidr", "10.0.0.0/8"), "/16 to /18"],
  ["a VPC smaller than the stages accept", withFlag("--vpc-cidr", "10.4.0.0/20"), "/16 to /18"],
  ["a CIDR off its network address", withFlag("--vpc-cidr", "10.4.1.0/16"), "network address (10.4.0.0/16)"],
  ["an address without a prefix", withFlag("--vpc-cidr", "10.4.0.0"), "IPv4 CIDR"],
  ["a CIDR with a newline", withFlag("--vpc-cidr", "10.4.0.0/16\nx = 1"), "single line"],
  ["a region without a number", withFlag("--region", "eu-central"), "AWS region name"],
  ["an upper-case region", withFlag("--region", "EU-CENTRAL-1"), "AWS region name"],
  ["a region with a quote", withFlag("--region", 'eu-central-1"'), "quotes"],
  ["an Identity Center region with underscores", withFlag("--idc-region", "us_east_1"), "--idc-region"],
  [
    "an IAM role ARN as the instance",
    withFlag("--idc-instance-arn", "arn:aws:iam::123456789012:role/admin"),
    "instance ARN",
  ],
  [
    "the example's placeholder ARN",
    withFlag("--idc-instance-arn", "arn:aws:sso:::instance/ssoins-XXXXXXXXXXXXXXXX"),
    "placeholder",
  ],
  [
    "an ARN with an interpolation",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
    withFlag("--idc-instance-arn", "arn:aws:sso:::instance/ssoins-${x}"),
    "${",
  ],
  ["an environment name with an underscore", withFlag("--env", "dev_1"), /environment name/i],
  ["an environment name ending in '-'", withFlag("--env", "dev-"), /environment name/i],
  ["a too-short prefix", withFlag("--prefix", "ai"), "3-20"],
  ["a prefix with a quote", withFlag("--prefix", 'ai"platform'), "quotes"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
  ["a prefix with ${", withFlag("--prefix", "ai${var.x}"), "${"],
  ["a patch-level Kubernetes version", withFlag("--kubernetes-version", "1.35.1"), "<major>.<minor>"],
  ["a v-prefixed Kubernetes version", withFlag("--kubernetes-version", "v1.35"), "<major>.<minor>"],
  ["an empty group name", withFlag("--argocd-admin", "group:"), "must not be empty"],
  ["an identity with a newline", withFlag("--argocd-admin", "jane\nsmith"), "single line"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
  ["an identity with ${", withFlag("--argocd-admin", "user:${jane}"), "${"],
  ["an editor with a quote", withFlag("--argocd-editor", 'x"y'), "quotes"],
  [
    "a user id cut short",
    withFlag("--argocd-admin", "906744a8-1234-5678-9abc-def01234567"),
    "not an identity-store id",
  ],
  [
    "a name nobody has",
    withFlag("--argocd-viewer", "nobody@example.com"),
    '--argocd-viewer "nobody@example.com": no user of that name',
  ],
  ["an unknown capability", withFlag("--capabilities", "all,gpu"), 'unknown capability "gpu"'],
  ["Karpenter without Pod Identity", withFlag("--capabilities", "all,-identity"), "Pod Identity"],
  ["a local path as repoURL", withFlag("--repo-url", "/tmp/origin.git"), "URL ArgoCD can clone"],
  ["a repoURL with a quote", withFlag("--repo-url", 'https://github.com/me/a"b.git'), "quotes"],
  ["a revision with '..'", withFlag("--revision", "a..b"), "git ref name"],
  ["a revision with a space", withFlag("--revision", "my branch"), "git ref name"],
  ["a Docker Hub user with a quote", withFlag("--docker-hub-username", 'me"'), "quotes"],
];

describe("aiplat init refuses bad input with exit 2 and writes nothing", () => {
  it.each(CASES)("%s", async (_, argv, expected) => {
    await expectRejected(argv, expected);
  });

  it("a value with ${ in the answers file", async () => {
    const root = makeTempDir("aiplat-answers-");
    const file = join(root, "answers.yaml");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
    writeFileSync(file, 'prefix: "ai-${jsonencode(1)}"\n');
    await expectRejected(
      ["--answers", file, ...BASE.filter((_, i) => BASE[i - 1] !== "--prefix" && BASE[i] !== "--prefix")],
      "${",
    );
  });

  it("a role name init does not know, in the existing tfvars", async () => {
    const tfvars = `region = "eu-west-1"
cluster_config = {
  capabilities_config = {
    argocd_rbac_mappings = [{ role = "OWNER", identities = [{ id = "906744a8-1234-5678-9abc-def012345678", type = "SSO_USER" }] }]
  }
}
`;
    const argv = BASE.filter((_, i) => BASE[i] !== "--argocd-admin" && BASE[i - 1] !== "--argocd-admin");
    await expectRejected(argv, 'role "OWNER" must be ADMIN, EDITOR, VIEWER', {
      "terraform/00.global/vars/dev.tfvars": tfvars,
    });
  });

  it("an identity type init does not know, in the existing tfvars", async () => {
    const tfvars = `cluster_config = {
  capabilities_config = {
    argocd_rbac_mappings = [{ role = "ADMIN", identities = [{ id = "906744a8-1234-5678-9abc-def012345678", type = "IAM_USER" }] }]
  }
}
`;
    const argv = BASE.filter((_, i) => BASE[i] !== "--argocd-admin" && BASE[i - 1] !== "--argocd-admin");
    await expectRejected(argv, 'type "IAM_USER" must be SSO_USER or SSO_GROUP', {
      "terraform/00.global/vars/dev.tfvars": tfvars,
    });
  });

  it("Karpenter without the system node group a hand edit turned off", async () => {
    const tfvars = 'cluster_config = {\n  kubernetes_version = "1.35"\n  create_mng_system = false\n}\n';
    await expectRejected(BASE, "create_mng_system", { "terraform/00.global/vars/dev.tfvars": tfvars });
  });

  it("capabilities of the existing tfvars that break the cluster stage's rules", async () => {
    const tfvars = `cluster_config = {
  kubernetes_version = "1.35"
  capabilities = { identity = false, autoscaling = true }
}
`;
    const argv = BASE.filter((_, i) => BASE[i] !== "--capabilities" && BASE[i - 1] !== "--capabilities");
    await expectRejected(argv, "Pod Identity", { "terraform/00.global/vars/dev.tfvars": tfvars });
  });

  it("counts at least 25 distinct bad inputs", () => {
    expect(CASES.length + 5).toBeGreaterThanOrEqual(25);
  });
});
