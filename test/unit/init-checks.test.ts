import { describe, expect, it } from "vitest";
import {
  allCapabilities,
  BUILT_IN_KUBERNETES_VERSIONS,
  CAPABILITY_NAMES,
  DEFAULTS,
  defaultTfvarsAnswers,
  emptyRbac,
  formatCapabilityList,
  parseCapabilityList,
} from "../../src/core/init/answers.js";
import {
  checkCapabilities,
  checkCidrList,
  checkDockerHubUsername,
  checkEnvName,
  checkIdcInstanceArn,
  checkIdentityName,
  checkKubernetesVersion,
  checkPrefix,
  checkRegion,
  checkRepoUrl,
  checkRevision,
  checkSafeText,
  checkSecretValue,
  checkVpcCidr,
  isIdentityId,
  parseCidrList,
  VPC_PREFIX_RANGE,
} from "../../src/core/init/validate.js";

const QUOTES = "must not contain quotes or backslashes";

describe("text that ends up inside HCL strings and YAML", () => {
  it("takes up to 1024 characters", () => {
    expect(checkSafeText("a".repeat(1024))).toBe(true);
    expect(checkSafeText("a".repeat(1025))).toBe("must be at most 1024 characters");
  });

  it.each([
    ["a\rb", "must be a single line"],
    ["a\nb", "must be a single line"],
    ['a"b', QUOTES],
    ["a\\b", QUOTES],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
    ["a${b}", "must not contain ${ or %{ (Terraform would interpolate it)"],
    ["a%{b}", "must not contain ${ or %{ (Terraform would interpolate it)"],
    ["a\u0000b", "must not contain control characters"],
    ["a\tb", "must not contain control characters"],
    ["a\u001fb", "must not contain control characters"],
    ["a\u007fb", "must not contain control characters"],
    ["a\u202ab", "must not contain control characters"],
    ["a\u202eb", "must not contain control characters"],
    ["a\u2066b", "must not contain control characters"],
    ["a\u2069b", "must not contain control characters"],
    // The first rule broken is the one reported.
    ['a"\nb', "must be a single line"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
    ['${"x"}', QUOTES],
  ])("refuses %j: %s", (value, reason) => {
    expect(checkSafeText(value)).toBe(reason);
  });

  it.each(["a b", "~", "$x", "{x}", "% {", "$ {", "a\u2029b", "a\u202fb", "a\u2065b", "a\u206ab", "é", ""])(
    "accepts %j",
    (value) => {
      expect(checkSafeText(value)).toBe(true);
    },
  );
});

describe("names: environment, region, prefix", () => {
  const ENV =
    "use 1-20 lowercase letters, digits or '-', starting with a letter and not ending with '-' (a DNS label)";
  it.each([
    ["a", true],
    ["a".repeat(20), true],
    ["a1-b", true],
    ["a".repeat(21), ENV],
    ["", ENV],
    ['a"', QUOTES],
  ])("env %j: %s", (value, verdict) => {
    expect(checkEnvName(value)).toBe(verdict);
  });

  const REGION = "must be an AWS region name such as eu-central-1 or us-east-1";
  it.each([
    ["cn-north-1", true],
    ["us-iso-east-1", true],
    ["us-isob-east-1", true],
    ["eu-central-10", true],
    ["eu-central-100", REGION],
    ["e-central-1", REGION],
    ["xeu-central-1", REGION],
    ["us-gov-west", REGION],
    ["us-govx-west-1", REGION],
    ["us-isobb-east-1", REGION],
    ["a\\b", QUOTES],
  ])("region %j: %s", (value, verdict) => {
    expect(checkRegion(value)).toBe(verdict);
  });

  const PREFIX =
    "use 3-20 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit";
  it.each([
    ["abc", true],
    ["a-1", true],
    ["a".repeat(20), true],
    ["ab", PREFIX],
    ["a".repeat(21), PREFIX],
    ["a--", PREFIX],
    ['ab"c', QUOTES],
  ])("prefix %j: %s", (value, verdict) => {
    expect(checkPrefix(value)).toBe(verdict);
  });
});

describe("the VPC CIDR", () => {
  const NOT_CIDR = "must be an IPv4 CIDR block such as 10.4.0.0/16";
  const RANGE = "the prefix length must be /16 to /18";
  const PRIVATE = "must be a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";

  it("allows /16 to /18", () => {
    expect(VPC_PREFIX_RANGE).toEqual({ min: 16, max: 18 });
  });

  it.each([
    ["10.4.0.0/16", true],
    ["10.4.0.0/17", true],
    ["10.4.0.0/18", true],
    ["10.4.192.0/18", true],
    ["10.255.192.0/18", true],
    ["172.31.0.0/16", true],
    ["192.168.128.0/17", true],
    ["10.4.0.0/15", RANGE],
    ["10.4.0.0/19", RANGE],
    ["10.4.0.0/1", RANGE],
    ["10.4.0.0/016", NOT_CIDR],
    ["10.4.0.0/", NOT_CIDR],
    ["x10.4.0.0/16", NOT_CIDR],
    ["10.4.0.0/16x", NOT_CIDR],
    ["1.2.3.4.5/16", NOT_CIDR],
    ["10.04.0.0/16", NOT_CIDR],
    ["10.4.0.00/16", NOT_CIDR],
    ["10.1000.0.0/16", NOT_CIDR],
    ["10.256.0.0/16", NOT_CIDR],
    ["10.4.32.0/18", "must start on its network address (10.4.0.0/18)"],
    ["172.16.1.0/16", "must start on its network address (172.16.0.0/16)"],
    ["192.168.255.255/17", "must start on its network address (192.168.128.0/17)"],
    ["9.255.0.0/16", PRIVATE],
    ["11.0.0.0/16", PRIVATE],
    ["172.15.0.0/16", PRIVATE],
    ["172.32.0.0/16", PRIVATE],
    ["192.167.0.0/16", PRIVATE],
    ["192.169.0.0/16", PRIVATE],
    ["0.0.0.0/16", PRIVATE],
    ['10.4.0.0/16"', QUOTES],
  ])("%s: %s", (value, verdict) => {
    expect(checkVpcCidr(value)).toBe(verdict);
  });
});

describe("who may reach the public Kubernetes API", () => {
  it("splits on commas, dropping spaces and empty items", () => {
    expect(parseCidrList(" 203.0.113.7/32 , ,198.51.100.0/24,")).toEqual([
      "203.0.113.7/32",
      "198.51.100.0/24",
    ]);
    expect(parseCidrList("")).toEqual([]);
  });

  it("takes up to 40 CIDRs", () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `203.0.113.${i}/32`).join(",");
    expect(checkCidrList(list(40))).toBe(true);
    expect(checkCidrList(list(41))).toBe("at most 40 CIDRs (the EKS limit)");
  });

  it.each([
    ["203.0.113.7/0", true],
    ["203.0.113.7/32", true],
    [" , ", "list at least one IPv4 CIDR, e.g. 203.0.113.7/32"],
    ["203.0.113.7/33", '"203.0.113.7/33" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ["203.0.113.7/32/1", '"203.0.113.7/32/1" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ["x203.0.113.7/32", '"x203.0.113.7/32" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ["203.0.113.7/320", '"203.0.113.7/320" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ["203.0.113/32", '"203.0.113/32" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ["203.0.113.7/32,10.0.0.0/8,bad", '"bad" is not an IPv4 CIDR such as 203.0.113.7/32'],
    ['203.0.113.7/32"', QUOTES],
  ])("%j: %s", (value, verdict) => {
    expect(checkCidrList(value)).toBe(verdict);
  });
});

describe("Kubernetes version, Identity Center, identities", () => {
  it.each([
    ["1.35", undefined, true],
    ["1.35", [], true],
    ["1.34", ["1.35", "1.34"], true],
    ["1.3", undefined, "must be <major>.<minor>, e.g. 1.35"],
    ["1.100", undefined, "must be <major>.<minor>, e.g. 1.35"],
    ["2.35", undefined, "must be <major>.<minor>, e.g. 1.35"],
    ["x1.35", undefined, "must be <major>.<minor>, e.g. 1.35"],
    ["1.33", ["1.35", "1.34"], "EKS supports 1.35, 1.34"],
    ['1.35"', undefined, QUOTES],
  ] as [string, string[] | undefined, true | string][])("%s against %j: %s", (value, supported, verdict) => {
    expect(checkKubernetesVersion(value, supported)).toBe(verdict);
  });

  const ARN = "must be an Identity Center instance ARN: arn:aws:sso:::instance/ssoins-…";
  const PLACEHOLDER = "is the example's placeholder; use your instance ARN (aws sso-admin list-instances)";
  it.each([
    ["arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6", true],
    ["arn:aws-cn:sso:::instance/ssoins-7223a1b2", true],
    ["arn:aws:sso:::instance/ins-7223a1b2", true],
    ["arn:aws:sso:::instance/ssoins-XXXXX1", true],
    ["arn:aws:sso:::instance/ssoins-", ARN],
    ["arn:aws:sso:::instance/ssoins-72_3", ARN],
    ["xarn:aws:sso:::instance/ssoins-72", ARN],
    ["arn:aws:sso:::instance/ssoins-XXXXXX", PLACEHOLDER],
    ['arn:aws:sso:::instance/ssoins-72"', QUOTES],
  ])("%s: %s", (value, verdict) => {
    expect(checkIdcInstanceArn(value)).toBe(verdict);
  });

  it.each([
    ["906744a8-1234-5678-9abc-def012345678", true],
    ["906744A8-1234-5678-9ABC-DEF012345678", true],
    ["9067448e70-906744a8-1234-5678-9abc-def012345678", true],
    ["9067448E70-906744a8-1234-5678-9abc-def012345678", false],
    ["9067448e7-906744a8-1234-5678-9abc-def012345678", false],
    ["906744a8-1234-5678-9abc-def01234567", false],
    ["906744a8-1234-5678-9abc-def0123456789", false],
    ["x906744a8-1234-5678-9abc-def012345678", false],
    ["906744a8-1234-5678-9abc", false],
  ])("%s is an identity-store id: %s", (value, id) => {
    expect(isIdentityId(value)).toBe(id);
  });

  it.each([
    ["jane", true],
    ["", "must not be empty"],
    ["   ", "must not be empty"],
    ['ja"ne', QUOTES],
  ])("identity name %j: %s", (value, verdict) => {
    expect(checkIdentityName(value)).toBe(verdict);
  });
});

describe("GitOps source and Docker Hub", () => {
  const URL = "must be a URL ArgoCD can clone: https://host/owner/repo.git (or an SSH URL)";
  it.each([
    ["https://github.com/me/aiplat.git", true],
    ["https://git.example.com:8443/team/aiplat", true],
    ["ssh://git@host/team/aiplat.git", true],
    ["ssh://host/aiplat", true],
    ["git@github.com:me/aiplat.git", true],
    ["https://user@github.com/me/aiplat.git", URL],
    ["https://github.com/", URL],
    ["https://github.com", URL],
    ["https://github.com/me/a b", URL],
    ["xhttps://github.com/me/aiplat.git", URL],
    ["http://github.com/me/aiplat.git", URL],
    ["ssh://host/", URL],
    ["xssh://host/aiplat", URL],
    ["ssh://host/a b", URL],
    ["git@github.com:", URL],
    ["me git@github.com:me/a", URL],
    ["git@github.com:me/a b", URL],
    ['https://github.com/me/"', QUOTES],
  ])("repo URL %s: %s", (value, verdict) => {
    expect(checkRepoUrl(value)).toBe(verdict);
  });

  const REF = "is not a valid git ref name";
  it.each([
    ["main", true],
    ["v1.2.3", true],
    ["feature/gpu", true],
    ["a@b", true],
    ["r".repeat(255), true],
    ["", "must be a branch, tag or commit"],
    ["@", "must be a branch, tag or commit"],
    ["a b", REF],
    ["a~1", REF],
    ["a^", REF],
    ["a:b", REF],
    ["a?", REF],
    ["a*", REF],
    ["a[b", REF],
    ["a..b", REF],
    ["a@{1}", REF],
    ["-a", REF],
    ["/a", REF],
    ["a/", REF],
    ["a.lock", REF],
    ["a.", REF],
    ["bränch", "must be printable ASCII (a branch, tag or commit)"],
    ["r".repeat(256), "must be at most 255 characters"],
    ['a"', QUOTES],
  ])("revision %j: %s", (value, verdict) => {
    expect(checkRevision(value)).toBe(verdict);
  });

  const USER = "must be a Docker Hub user name (letters, digits, . _ -)";
  it.each([
    ["ab", true],
    ["A.b_c-D", true],
    [`a${"b".repeat(98)}`, true],
    [`a${"b".repeat(99)}`, USER],
    ["a", USER],
    ["-ab", USER],
    ["ab cd", USER],
    ["xa@b", USER],
    ['ab"', QUOTES],
  ])("Docker Hub user %j: %s", (value, verdict) => {
    expect(checkDockerHubUsername(value)).toBe(verdict);
  });

  it.each([
    ["dckr_pat_abc", true],
    ["", "must not be empty"],
    ["  ", "must not be empty"],
    ['a"b', QUOTES],
  ])("secret %j: %s", (value, verdict) => {
    expect(checkSecretValue(value)).toBe(verdict);
  });
});

describe("capabilities", () => {
  const POD_IDENTITY =
    "autoscaling (Karpenter) and blockstorage (EBS CSI) authenticate through EKS Pod Identity: keep identity on";
  const MNG =
    "autoscaling runs the Karpenter controller on the system node group, which create_mng_system = false in the tfvars turns off: turn autoscaling off or set create_mng_system = true";
  const gitopsNeeds = (missing: string) =>
    `gitops needs networking, kube_proxy, coredns (the Applications ArgoCD deploys are pods that need the VPC CNI, Service routing and cluster DNS): turn on ${missing}, or gitops off`;

  it("needs Pod Identity for Karpenter and for the EBS CSI driver", () => {
    const none = allCapabilities(false);
    expect(checkCapabilities({ ...none, autoscaling: true })).toBe(POD_IDENTITY);
    expect(checkCapabilities({ ...none, blockstorage: true })).toBe(POD_IDENTITY);
    expect(checkCapabilities({ ...none, blockstorage: true, identity: true })).toBe(true);
    expect(checkCapabilities(none)).toBe(true);
  });

  it("names exactly what gitops is missing", () => {
    const none = allCapabilities(false);
    expect(checkCapabilities({ ...none, gitops: true, kube_proxy: true })).toBe(
      gitopsNeeds("networking, coredns"),
    );
    expect(checkCapabilities({ ...none, gitops: true, networking: true, kube_proxy: true })).toBe(
      gitopsNeeds("coredns"),
    );
    expect(checkCapabilities({ ...none, networking: true })).toBe(true);
  });

  it("needs the system node group for Karpenter, by default assumed present", () => {
    expect(checkCapabilities(allCapabilities(true), false)).toBe(MNG);
    expect(checkCapabilities(allCapabilities(true))).toBe(true);
    expect(checkCapabilities(allCapabilities(true), true)).toBe(true);
  });

  it.each([
    ["", "list at least one capability, or all / none"],
    [" , ", "list at least one capability, or all / none"],
    [
      "gpu",
      'unknown capability "gpu"; known: kube_proxy, networking, coredns, identity, autoscaling, blockstorage, loadbalancing, gitops, kro, ack',
    ],
    [
      "all,-gpu",
      'unknown capability "gpu"; known: kube_proxy, networking, coredns, identity, autoscaling, blockstorage, loadbalancing, gitops, kro, ack',
    ],
  ])("refuses the list %j", (text, reason) => {
    expect(parseCapabilityList(text)).toBe(reason);
  });

  it("reads lists left to right: all / none reset, -name turns one off", () => {
    const none = allCapabilities(false);
    expect(parseCapabilityList(" gitops , kro ")).toEqual({ ...none, gitops: true, kro: true });
    expect(parseCapabilityList("-ack")).toEqual(none);
    expect(parseCapabilityList("all,none")).toEqual(none);
    expect(parseCapabilityList("none,all")).toEqual(allCapabilities(true));
    expect(parseCapabilityList("gitops,-gitops")).toEqual(none);
    expect(parseCapabilityList("kro,all,-ack")).toEqual({ ...allCapabilities(true), ack: false });
  });

  it("writes a list back in the order of the tfvars", () => {
    expect(formatCapabilityList(allCapabilities(true))).toBe("all");
    expect(formatCapabilityList(allCapabilities(false))).toBe("none");
    expect(formatCapabilityList({ ...allCapabilities(false), gitops: true, networking: true })).toBe(
      "networking,gitops",
    );
    expect(formatCapabilityList({ ...allCapabilities(true), ack: false })).toBe(
      "kube_proxy,networking,coredns,identity,autoscaling,blockstorage,loadbalancing,gitops,kro",
    );
  });
});

describe("init's defaults (example.tfvars, variables.tf)", () => {
  it("turns every capability on unless told otherwise", () => {
    expect(CAPABILITY_NAMES).toEqual([
      "kube_proxy",
      "networking",
      "coredns",
      "identity",
      "autoscaling",
      "blockstorage",
      "loadbalancing",
      "gitops",
      "kro",
      "ack",
    ]);
    expect(allCapabilities()).toEqual(Object.fromEntries(CAPABILITY_NAMES.map((n) => [n, true])));
    expect(emptyRbac()).toEqual({ ADMIN: [], EDITOR: [], VIEWER: [] });
  });

  it("fills what init does not ask with example.tfvars' values", () => {
    expect(defaultTfvarsAnswers()).toEqual({
      tags: {},
      eksAutoMode: false,
      privateEksCluster: false,
      createMngSystem: true,
      gpuNodeLimit: 16,
      capabilities: allCapabilities(true),
      rbac: { ADMIN: [], EDITOR: [], VIEWER: [] },
      ackIamPolicyArns: [],
      observability: {
        awsNativeTooling: false,
        awsOssTooling: false,
        enableManagedCollector: true,
        enableGrafanaWorkspace: false,
      },
    });
    expect(DEFAULTS).toEqual({
      region: "eu-central-1",
      prefix: "ai-platform",
      vpcCidr: "10.4.0.0/16",
      kubernetesVersion: "1.35",
    });
    expect(BUILT_IN_KUBERNETES_VERSIONS).toEqual(["1.35", "1.34", "1.33", "1.32"]);
  });
});
