import { describe, expect, it } from "vitest";
import { isPublicIpv4 } from "../../src/adapters/public-address.js";
import { allCapabilities, parseCapabilityList } from "../../src/core/init/answers.js";
import {
  checkCapabilities,
  checkCidrList,
  checkEnvName,
  checkIdcInstanceArn,
  checkKubernetesVersion,
  checkPrefix,
  checkRegion,
  checkRepoUrl,
  checkRevision,
  checkSafeText,
  checkVpcCidr,
  isIdentityId,
} from "../../src/core/init/validate.js";

describe("init field validation", () => {
  it.each([
    ["10.4.0.0/16"],
    ["10.255.0.0/18"],
    ["172.16.0.0/16"],
    ["172.31.192.0/18"],
    ["192.168.0.0/16"],
    ["10.4.64.0/18"],
  ])("accepts the private VPC CIDR %s", (cidr) => {
    expect(checkVpcCidr(cidr)).toBe(true);
  });

  it.each([
    ["10.4.0.0/15", "/16 to /18"],
    ["10.4.0.0/20", "/16 to /18"],
    ["10.4.1.0/16", "network address (10.4.0.0/16)"],
    ["11.0.0.0/16", "RFC 1918"],
    ["172.32.0.0/16", "RFC 1918"],
    ["192.169.0.0/16", "RFC 1918"],
    ["10.4.0/16", "IPv4 CIDR"],
    ["10.4.0.256/16", "IPv4 CIDR"],
    ["010.4.0.0/16", "IPv4 CIDR"],
    ["10.4.0.0", "IPv4 CIDR"],
  ])("rejects the VPC CIDR %s (%s)", (cidr, reason) => {
    expect(checkVpcCidr(cidr)).toContain(reason);
  });

  it("accepts real region names and rejects lookalikes", () => {
    for (const ok of ["eu-central-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "il-central-1"]) {
      expect(checkRegion(ok), ok).toBe(true);
    }
    for (const bad of ["EU-central-1", "eu-central", "eucentral1", "eu-central-0", "us-east-1a", ""]) {
      expect(checkRegion(bad), bad).not.toBe(true);
    }
  });

  it("applies the environment and prefix rules of the stages", () => {
    expect(checkEnvName("dev")).toBe(true);
    expect(checkEnvName("prod-eu-2")).toBe(true);
    for (const bad of ["Dev", "-dev", "dev-", "1dev", "a".repeat(21), "dev_1"])
      expect(checkEnvName(bad), bad).not.toBe(true);
    expect(checkPrefix("ai-platform")).toBe(true);
    for (const bad of ["ai", "AI-platform", "ai-platform-", "a".repeat(21), "9ai"])
      expect(checkPrefix(bad), bad).not.toBe(true);
  });

  it("checks Kubernetes versions by format, and against EKS's list when known", () => {
    expect(checkKubernetesVersion("1.35")).toBe(true);
    expect(checkKubernetesVersion("1.35.2")).not.toBe(true);
    expect(checkKubernetesVersion("v1.35")).not.toBe(true);
    expect(checkKubernetesVersion("1.29", ["1.35", "1.34"])).toBe("EKS supports 1.35, 1.34");
  });

  it("checks Identity Center ARNs and identity-store ids by format, refusing the example's placeholders", () => {
    expect(checkIdcInstanceArn("arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6")).toBe(true);
    expect(checkIdcInstanceArn("arn:aws:sso:::instance/ssoins-XXXXXXXXXXXXXXXX")).toContain("placeholder");
    expect(checkIdcInstanceArn("arn:aws:iam::123456789012:role/x")).not.toBe(true);
    expect(isIdentityId("906744a8-1234-5678-9abc-def012345678")).toBe(true);
    expect(isIdentityId("9067448e70-906744a8-1234-5678-9abc-def012345678")).toBe(true);
    expect(isIdentityId("your-sso-user-id")).toBe(false);
  });

  it("refuses text that would break out of an HCL string or interpolate", () => {
    expect(checkSafeText("plain")).toBe(true);
    expect(checkSafeText('a"b')).toContain("quotes");
    expect(checkSafeText("a\\b")).toContain("backslashes");
    expect(checkSafeText("a\nb")).toContain("single line");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the bad input under test
    expect(checkSafeText("${var.x}")).toContain("${");
    expect(checkSafeText("%{ if }")).toContain("%{");
    expect(checkSafeText("a\u0007b")).toContain("control");
  });

  it("accepts URLs ArgoCD can clone and branch names git accepts", () => {
    expect(checkRepoUrl("https://github.com/me/aiplat.git")).toBe(true);
    expect(checkRepoUrl("git@github.com:me/aiplat.git")).toBe(true);
    expect(checkRepoUrl("/tmp/origin.git")).not.toBe(true);
    expect(checkRepoUrl("file:///tmp/origin.git")).not.toBe(true);
    expect(checkRevision("feature/gpu-nodes")).toBe(true);
    for (const bad of ["a..b", "has space", "ends/", "x.lock", "-flag", "a:b", "a@{1}"]) {
      expect(checkRevision(bad), bad).not.toBe(true);
    }
  });

  it("parses capability lists and keeps the Pod Identity rule of the cluster stage", () => {
    expect(parseCapabilityList("all")).toEqual(allCapabilities(true));
    expect(parseCapabilityList("all,-ack,-kro")).toMatchObject({ ack: false, kro: false, gitops: true });
    expect(parseCapabilityList("none,gitops")).toEqual({ ...allCapabilities(false), gitops: true });
    expect(parseCapabilityList("gpu")).toContain('unknown capability "gpu"');
    expect(checkCapabilities({ ...allCapabilities(true), identity: false })).toContain("Pod Identity");
    // The pods ArgoCD deploys need the VPC CNI, kube-proxy and CoreDNS.
    expect(checkCapabilities({ ...allCapabilities(false), gitops: true })).toContain(
      "gitops needs networking, kube_proxy, coredns",
    );
    const base = { networking: true, kube_proxy: true, coredns: true };
    expect(checkCapabilities({ ...allCapabilities(false), ...base, gitops: true })).toBe(true);
    // A hand edit kept from the tfvars (create_mng_system = false) leaves Karpenter nowhere to run.
    expect(checkCapabilities(allCapabilities(true), false)).toContain("create_mng_system");
    expect(checkCapabilities({ ...allCapabilities(true), autoscaling: false }, false)).toBe(true);
  });
});

describe("who may reach the public Kubernetes API (issue 17 point 9)", () => {
  it("takes a comma list of IPv4 CIDRs, spaces allowed", () => {
    expect(checkCidrList("203.0.113.7/32")).toBe(true);
    expect(checkCidrList("203.0.113.7/32, 198.51.100.0/24")).toBe(true);
    expect(checkCidrList("0.0.0.0/0")).toBe(true);
  });
  it("refuses anything else, naming the bad item", () => {
    expect(checkCidrList("")).toContain("at least one");
    expect(checkCidrList("203.0.113.7")).toContain('"203.0.113.7" is not an IPv4 CIDR');
    expect(checkCidrList("203.0.113.7/33")).toContain("is not an IPv4 CIDR");
    expect(checkCidrList("300.0.113.7/32")).toContain("is not an IPv4 CIDR");
    expect(checkCidrList(Array.from({ length: 41 }, (_, i) => `203.0.113.${i}/32`).join(","))).toContain(
      "at most 40",
    );
  });
  it("offers only a public address as the default (a proxy's private address would lock the user out)", () => {
    expect(isPublicIpv4("203.0.113.9")).toBe(true);
    for (const bad of [
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "127.0.0.1",
      "169.254.1.1",
      "1.2.3",
      "256.1.1.1",
      "<html>",
    ])
      expect(isPublicIpv4(bad), bad).toBe(false);
  });
});
