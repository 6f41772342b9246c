import { describe, expect, it } from "vitest";
import { checkGivenValues } from "../../src/core/init/given.js";
import {
  ANSWER_KEYS,
  mergeRawInit,
  parseAnswersFile,
  parseIdentityRef,
  ROLE_FIELDS,
  ROLE_FLAGS,
} from "../../src/core/init/raw-input.js";
import { convertRemoteUrl } from "../../src/core/init/repo-url.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("values given as flags or in the answers file, checked before any question", () => {
  it("finds nothing wrong with good values, or with none", () => {
    expect(checkGivenValues({})).toEqual([]);
    expect(
      checkGivenValues({
        env: "dev",
        region: "eu-central-1",
        prefix: "ai-platform",
        vpcCidr: "10.4.0.0/16",
        kubernetesVersion: "1.35",
        capabilities: "all,-ack",
        idcInstanceArn: "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
        idcRegion: "us-east-1",
        argocdAdmin: ["jane", "group:Platform"],
        argocdEditor: ["906744a8-1234-5678-9abc-def012345678"],
        argocdViewer: ["user:joe@example.com"],
        repoUrl: "https://github.com/me/aiplat.git",
        revision: "main",
        dockerHubUsername: "me",
        apiCidrs: "203.0.113.7/32",
      }),
    ).toEqual([]);
  });

  it("names every bad value with its flag, in the order of the flags", () => {
    expect(
      checkGivenValues({
        env: "Dev",
        region: "europe",
        prefix: "x",
        vpcCidr: "10.4.0.0/8",
        kubernetesVersion: "1.3",
        capabilities: "gpu",
        idcInstanceArn: "arn:aws:sso:::instance/x",
        idcRegion: "mars-1",
        argocdAdmin: ["user:"],
        argocdEditor: ["jane", "906744a8-1234"],
        argocdViewer: ["group: "],
        repoUrl: "/tmp/x",
        revision: "a..b",
        dockerHubUsername: "-x",
        apiCidrs: "1.2.3.4",
      }),
    ).toEqual([
      `--env "Dev": use 1-20 lowercase letters, digits or '-', starting with a letter and not ending with '-' (a DNS label)`,
      '--region "europe": must be an AWS region name such as eu-central-1 or us-east-1',
      `--prefix "x": use 3-20 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit`,
      '--vpc-cidr "10.4.0.0/8": the prefix length must be /16 to /18',
      '--kubernetes-version "1.3": must be <major>.<minor>, e.g. 1.35',
      '--idc-instance-arn "arn:aws:sso:::instance/x": must be an Identity Center instance ARN: arn:aws:sso:::instance/ssoins-…',
      '--idc-region "mars-1": must be an AWS region name such as eu-central-1 or us-east-1',
      '--repo-url "/tmp/x": must be a URL ArgoCD can clone: https://host/owner/repo.git (or an SSH URL)',
      '--revision "a..b": is not a valid git ref name',
      '--docker-hub-username "-x": must be a Docker Hub user name (letters, digits, . _ -)',
      '--api-cidrs "1.2.3.4": "1.2.3.4" is not an IPv4 CIDR such as 203.0.113.7/32',
      '--capabilities "gpu": unknown capability "gpu"; known: kube_proxy, networking, coredns, identity, autoscaling, blockstorage, loadbalancing, gitops, kro, ack',
      '--argocd-admin "user:": must not be empty',
      '--argocd-editor "906744a8-1234": is not an identity-store id (a UUID such as 906744a8-1234-5678-9abc-def012345678)',
      '--argocd-viewer "group: ": must not be empty',
    ]);
  });

  it("checks the Kubernetes version by format only (EKS's list is asked later)", () => {
    expect(checkGivenValues({ kubernetesVersion: "1.99" })).toEqual([]);
  });
});

describe("identity references", () => {
  it("reads the kind prefix, trims the value and knows an id", () => {
    expect(parseIdentityRef("user: jane@example.com ")).toEqual({
      kind: "user",
      value: "jane@example.com",
      isId: false,
    });
    expect(parseIdentityRef("group:906744a8-1234-5678-9abc-def012345678")).toEqual({
      kind: "group",
      value: "906744a8-1234-5678-9abc-def012345678",
      isId: true,
    });
    expect(parseIdentityRef("team:x")).toEqual({ kind: "user", value: "team:x", isId: false });
    expect(parseIdentityRef("xuser:jane")).toEqual({ kind: "user", value: "xuser:jane", isId: false });
    expect(parseIdentityRef("group:a\nb")).toBe("must be a single line");
  });

  it("refuses hex-and-dashes that is not a whole id, but not a name that merely looks hexadecimal", () => {
    const notId = "is not an identity-store id (a UUID such as 906744a8-1234-5678-9abc-def012345678)";
    expect(parseIdentityRef("abcd-1")).toBe(notId);
    expect(parseIdentityRef("906744a8-1234-5678-9abc-def01234567")).toBe(notId);
    expect(parseIdentityRef("ABCD-EF")).toBe(notId);
    expect(parseIdentityRef("abc-1")).toEqual({ kind: "user", value: "abc-1", isId: false });
    expect(parseIdentityRef("abcd")).toEqual({ kind: "user", value: "abcd", isId: false });
    expect(parseIdentityRef("abcd-")).toEqual({ kind: "user", value: "abcd-", isId: false });
    expect(parseIdentityRef("abcd-1g")).toEqual({ kind: "user", value: "abcd-1g", isId: false });
    expect(parseIdentityRef("xabcd-1")).toEqual({ kind: "user", value: "xabcd-1", isId: false });
  });
});

describe("the answers file", () => {
  it("uses the flag names as keys", () => {
    expect(ANSWER_KEYS).toEqual({
      env: "env",
      region: "region",
      prefix: "prefix",
      "vpc-cidr": "vpcCidr",
      "kubernetes-version": "kubernetesVersion",
      capabilities: "capabilities",
      "idc-instance-arn": "idcInstanceArn",
      "idc-region": "idcRegion",
      "argocd-admin": "argocdAdmin",
      "argocd-editor": "argocdEditor",
      "argocd-viewer": "argocdViewer",
      "repo-url": "repoUrl",
      revision: "revision",
      "docker-hub-username": "dockerHubUsername",
      "api-cidrs": "apiCidrs",
    });
    expect(ROLE_FLAGS).toEqual({
      ADMIN: "--argocd-admin",
      EDITOR: "--argocd-editor",
      VIEWER: "--argocd-viewer",
    });
    expect(ROLE_FIELDS).toEqual({ ADMIN: "argocdAdmin", EDITOR: "argocdEditor", VIEWER: "argocdViewer" });
  });

  it("reads every key, lists joined where the flag takes a comma list", () => {
    expect(
      parseAnswersFile(
        "answers.yaml",
        [
          "env: prod",
          "prefix: acme-ai",
          "idc-instance-arn: arn:aws:sso:::instance/ssoins-1",
          "idc-region: us-east-1",
          "argocd-editor: [a, b]",
          "repo-url: https://github.com/me/aiplat.git",
          "revision: main",
          "docker-hub-username: me",
          "api-cidrs: [203.0.113.7/32, 198.51.100.0/24]",
          "capabilities: none",
        ].join("\n"),
      ),
    ).toEqual({
      env: "prod",
      prefix: "acme-ai",
      idcInstanceArn: "arn:aws:sso:::instance/ssoins-1",
      idcRegion: "us-east-1",
      argocdEditor: ["a", "b"],
      repoUrl: "https://github.com/me/aiplat.git",
      revision: "main",
      dockerHubUsername: "me",
      apiCidrs: "203.0.113.7/32,198.51.100.0/24",
      capabilities: "none",
    });
  });

  it("reads an empty file as no answers", () => {
    expect(parseAnswersFile("a.yaml", "")).toEqual({});
    expect(parseAnswersFile("a.yaml", "# only a comment\n")).toEqual({});
  });

  it("says which line is not YAML, never quoting the file", () => {
    const error = thrown(() => parseAnswersFile("answers.yaml", "region: eu-west-1\nprefix: [\n"));
    expect(error).toMatchObject({
      code: "bad-answers-file",
      exitCode: 2,
      hint: "Fix the file; its keys are the flag names of `aiplat init --help`.",
    });
    expect((error as Error).message).toMatch(
      /^The --answers file answers\.yaml is not valid YAML \(line \d+\)\.$/,
    );
  });

  it("gives no line when the parser stops without one (an alias bomb)", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const [name, previous] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
    ]) {
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    expect(thrown(() => parseAnswersFile("bomb.yaml", lines.join("\n")))).toMatchObject({
      code: "bad-answers-file",
      message: "The --answers file bomb.yaml is not valid YAML.",
    });
  });

  it("leaves out a key written with ? and no value", () => {
    expect(parseAnswersFile("a.yaml", "? region\nprefix: acme-ai\n")).toEqual({ prefix: "acme-ai" });
  });

  it("refuses a file that is not a mapping", () => {
    expect(thrown(() => parseAnswersFile("a.yaml", "just text\n"))).toMatchObject({
      code: "bad-answers-file",
      exitCode: 2,
      message: "The --answers file a.yaml is not usable: must be a YAML mapping of flag names to values.",
      hint: "Fix the answers file; its keys are the flag names of `aiplat init --help`.",
    });
  });

  it("lists every problem at once", () => {
    const error = thrown(() =>
      parseAnswersFile(
        "a.yaml",
        ["regoin: x", "argocd-admin: [a, [b]]", "prefix: {a: b}", "capabilities: {a: b}"].join("\n"),
      ),
    );
    expect((error as Error).message).toBe(
      `The --answers file a.yaml is not usable: unknown key "regoin" (known: ${Object.keys(ANSWER_KEYS).join(", ")}); argocd-admin must be a list of strings; prefix must be a string; capabilities must be a string or a list of strings.`,
    );
  });

  it("refuses a list where the flag takes one value", () => {
    expect((thrown(() => parseAnswersFile("a.yaml", "revision: [a]\n")) as Error).message).toBe(
      "The --answers file a.yaml is not usable: revision must be a string.",
    );
  });

  it("fills in from the file only what the flags left out", () => {
    expect(
      mergeRawInit(
        { region: "us-east-1", prefix: undefined, argocdAdmin: [], argocdViewer: ["x"] },
        { region: "eu-west-1", prefix: "acme-ai", argocdAdmin: ["jdoe"], argocdViewer: ["y"] },
      ),
    ).toEqual({ region: "us-east-1", prefix: "acme-ai", argocdAdmin: ["jdoe"], argocdViewer: ["x"] });
  });
});

describe("origin remote → the repoURL ArgoCD syncs from", () => {
  it.each([
    ["  git@github.com:me/aiplat.git\n", "https://github.com/me/aiplat.git", true],
    ["git@github.com:me/aiplat/", "https://github.com/me/aiplat.git", true],
    ["ssh://github.com/me/aiplat", "https://github.com/me/aiplat.git", true],
    ["ssh://git@github.com/me/aiplat.git", "https://github.com/me/aiplat.git", true],
    ["http://github.com/me/aiplat.git", "https://github.com/me/aiplat.git", true],
    ["https://github.com/me/aiplat.git//", "https://github.com/me/aiplat.git", true],
    ["https://git.example.com:8443/team/aiplat.git", "https://git.example.com:8443/team/aiplat.git", false],
  ])("%j → %s (converted: %s)", (remote, url, converted) => {
    expect(convertRemoteUrl(remote)).toEqual({ ok: true, url, converted });
  });

  it.each([
    "/tmp/origin.git",
    "git@github.com:/abs/path",
    "file:///tmp/origin.git",
    "https://github.com",
    "git@github.com:me/a\nb",
    "ssh://github.com/me/a\nb",
    "xssh://github.com/me/a",
    "https://github.com/me/a\nb",
    "xhttps://github.com/me/a",
  ])("refuses %j, saying why", (remote) => {
    expect(convertRemoteUrl(remote)).toEqual({
      ok: false,
      reason: `the origin remote ${JSON.stringify(remote)} is not a URL ArgoCD can clone (a local path or an unknown scheme)`,
    });
  });
});
