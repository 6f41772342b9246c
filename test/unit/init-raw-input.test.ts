import { describe, expect, it } from "vitest";
import { mergeRawInit, parseAnswersFile, parseIdentityRef } from "../../src/core/init/raw-input.js";
import { convertRemoteUrl } from "../../src/core/init/repo-url.js";

describe("answers file", () => {
  it("maps flag-named keys to answers; lists and single values both work", () => {
    const raw = parseAnswersFile(
      "a.yaml",
      [
        "region: eu-west-1",
        "vpc-cidr: 10.8.0.0/16",
        "kubernetes-version: 1.30",
        "capabilities: [all, -ack]",
        "argocd-admin: jdoe",
        "argocd-viewer: [group:Platform Admins, jane@example.com]",
      ].join("\n"),
    );
    expect(raw).toEqual({
      region: "eu-west-1",
      vpcCidr: "10.8.0.0/16",
      kubernetesVersion: "1.30",
      capabilities: "all,-ack",
      argocdAdmin: ["jdoe"],
      argocdViewer: ["group:Platform Admins", "jane@example.com"],
    });
  });

  it("leaves out keys without a value", () => {
    expect(parseAnswersFile("a.yaml", "region:\nargocd-viewer:\nprefix: acme-ai\n")).toEqual({
      prefix: "acme-ai",
    });
  });

  it("names unknown keys and wrong types (exit 2)", () => {
    expect(() => parseAnswersFile("a.yaml", "regoin: eu-west-1\n")).toThrow(/unknown key "regoin"/);
    expect(() => parseAnswersFile("a.yaml", "region: [a, b]\n")).toThrow(/region must be a string/);
    expect(() => parseAnswersFile("a.yaml", "- a\n- b\n")).toThrow(/mapping/);
    expect(() => parseAnswersFile("a.yaml", "region: [\n")).toThrow(/not valid YAML/);
    try {
      parseAnswersFile("a.yaml", "nope: 1\n");
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it("lets flags win over the file", () => {
    expect(
      mergeRawInit({ region: "us-east-1", argocdAdmin: [] }, { region: "eu-west-1", argocdAdmin: ["jdoe"] }),
    ).toEqual({
      region: "us-east-1",
      argocdAdmin: ["jdoe"],
    });
  });
});

describe("identity references", () => {
  it("reads user names, groups and ids", () => {
    expect(parseIdentityRef("jdoe")).toEqual({ kind: "user", value: "jdoe", isId: false });
    expect(parseIdentityRef("group:Platform Admins")).toEqual({
      kind: "group",
      value: "Platform Admins",
      isId: false,
    });
    expect(parseIdentityRef("906744a8-1234-5678-9abc-def012345678")).toMatchObject({
      kind: "user",
      isId: true,
    });
    expect(parseIdentityRef("group:")).toBe("must not be empty");
    expect(parseIdentityRef('ja"ne')).toContain("quotes");
  });
});

describe("origin remote → repoURL", () => {
  it.each([
    ["git@github.com:me/aiplat.git", "https://github.com/me/aiplat.git", true],
    ["git@github.com:me/aiplat", "https://github.com/me/aiplat.git", true],
    ["ssh://git@gitlab.example.com:2222/team/aiplat.git", "https://gitlab.example.com/team/aiplat.git", true],
    ["https://github.com/me/aiplat.git", "https://github.com/me/aiplat.git", false],
    ["https://github.com/me/aiplat", "https://github.com/me/aiplat.git", true],
    ["https://me:ghp_secret@github.com/me/aiplat.git", "https://github.com/me/aiplat.git", true],
  ])("%s → %s", (remote, url, converted) => {
    expect(convertRemoteUrl(remote)).toEqual({ ok: true, url, converted });
  });

  it("refuses local paths, which ArgoCD cannot clone", () => {
    expect(convertRemoteUrl("/tmp/origin.git")).toMatchObject({ ok: false });
    expect(convertRemoteUrl("file:///tmp/origin.git")).toMatchObject({ ok: false });
  });
});
