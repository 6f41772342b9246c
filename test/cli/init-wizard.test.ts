import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListInstancesCommand } from "@aws-sdk/client-sso-admin";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import type { Choice } from "../../src/ui/io-host.js";
import {
  GROUP_ID,
  INSTANCE_ARN,
  JANE,
  JANE_ID,
  JOHN,
  makeInitRepo,
  mockDirectory,
  OTHER_JANE_ID,
  readIf,
  resetAws,
  runInit,
  sso,
  tfvarsFile,
} from "../fixtures/init/harness.js";
import { startCheckipStandin } from "../support/checkip-standin.js";

afterEach(() => resetAws());

let checkip: Awaited<ReturnType<typeof startCheckipStandin>>;
beforeAll(async () => {
  checkip = await startCheckipStandin();
});
afterAll(() => checkip.close());

const keepChecked = (choices: ReadonlyArray<Choice<unknown> & { checked?: boolean }>) =>
  choices.filter((c) => c.checked).map((c) => c.value);

const DOCKER_TOKEN = "dckr_pat_s3cr3tT0ken";
const HF_TOKEN = "hf_abcdefghijklmnopqrstu";

describe("aiplat init on a terminal", () => {
  it("asks every question, re-asks invalid answers, discovers people by name and writes secrets only to 0600 files", async () => {
    const repo = makeInitRepo();
    mockDirectory({ versions: ["1.35", "1.34", "1.33"] });
    const run = await runInit(repo, [], {
      answers: [
        "", // --env: default dev
        "Frankfurt", // --region: rejected
        "eu-central-1",
        "", // --prefix: default
        "11.0.0.0/16", // --vpc-cidr: public range, rejected
        "10.20.0.0/16",
        (choices) => {
          // --kubernetes-version: offered from DescribeClusterVersions, EKS's default marked.
          expect(choices.map((c) => c.name)).toEqual(["1.35", "1.34 (EKS default)", "1.33"]);
          return "1.34";
        },
        ["kube_proxy", "networking", "coredns", "autoscaling", "gitops"], // no identity: refused
        ["kube_proxy", "networking", "coredns", "identity", "autoscaling", "gitops"],
        "us-east-1", // --idc-region
        "Jane Doe", // ADMIN by display name
        "nobody-here", // EDITOR: no such user, asked again
        "group:Platform Admins",
        "", // VIEWER: nobody
        true, // Docker Hub?
        "dockerme",
        DOCKER_TOKEN,
        "my-hf-password", // not an hf_ token: `aiplat secret hf-token` would refuse it later
        HF_TOKEN,
        "my office", // --api-cidrs: not a CIDR, rejected
        "", // the default: this machine's public address as /32 (issue 17 point 9)
      ],
      env: { AIPLAT_CHECKIP_URL: checkip.url },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.asked.map((q) => q.flag)).toEqual([
      "--env",
      "--region",
      "--prefix",
      "--vpc-cidr",
      "--kubernetes-version",
      "--capabilities",
      "--capabilities",
      "--idc-region",
      "--argocd-admin",
      "--argocd-editor",
      "--argocd-editor",
      "--argocd-viewer",
      "--docker-hub-username",
      "--docker-hub-username",
      "DOCKER_HUB_TOKEN",
      "HF_TOKEN",
      "--api-cidrs",
    ]);
    expect(run.asked[15]!.rejected[0]).toContain("not a HuggingFace token");
    expect(run.asked[16]!.rejected[0]).toContain('"my office" is not an IPv4 CIDR');
    expect(run.stderr).toContain("Your public address is 203.0.113.9.");
    expect(run.stderr).not.toContain("accepts connections from anywhere");
    expect(run.asked[1]!.rejected).toEqual(["must be an AWS region name such as eu-central-1 or us-east-1"]);
    expect(run.asked[3]!.rejected[0]).toContain("RFC 1918");
    expect(run.stderr).toContain("Pod Identity");
    expect(run.stderr).toContain('--argocd-editor "nobody-here": no user of that name');
    expect(run.stderr).toContain(
      "Identity Center instance: corp arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
    );

    const text = readIf(tfvarsFile(repo))!;
    const data = await parseTfvarsText("dev.tfvars", text);
    expect(data).toMatchObject({
      region: "eu-central-1",
      vpc_cidr: "10.20.0.0/16",
      shared_config: { resources_prefix: "ai-platform" },
      cluster_config: {
        kubernetes_version: "1.34",
        public_access_cidrs: ["203.0.113.9/32"],
        capabilities: { identity: true, gitops: true, kro: false, ack: false, blockstorage: false },
        capabilities_config: {
          argocd_idc_instance_arn: INSTANCE_ARN,
          argocd_idc_region: "us-east-1",
          argocd_rbac_mappings: [
            { role: "ADMIN", identities: [{ id: JANE_ID, type: "SSO_USER" }] },
            { role: "EDITOR", identities: [{ id: GROUP_ID, type: "SSO_GROUP" }] },
          ],
        },
      },
    });
    // The chosen person is shown by name and e-mail, so the right one is visible.
    expect(run.stdout).toContain("Jane Doe <jane@example.com> (user jdoe");

    const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(await parseTfvarsText("s", readIf(secret)!)).toEqual({
      docker_hub_username: "dockerme",
      docker_hub_access_token: DOCKER_TOKEN,
      docker_hub_credentials_version: 1,
    });
    const hf = join(repo.dir, ".aiplat/dev/hf-token");
    expect(statSync(hf).mode & 0o777).toBe(0o600);
    expect(readIf(hf)).toBe(`${HF_TOKEN}\n`);
    for (const secretText of [DOCKER_TOKEN, HF_TOKEN]) {
      expect(text).not.toContain(secretText);
      expect(run.stdout + run.stderr).not.toContain(secretText);
    }
    // Neither secret file can be committed by accident.
    expect(
      repo.git("status", "--porcelain", "--ignored", "terraform/00.global/vars/dev.secret.tfvars"),
    ).toMatch(/^!!/);
  });

  it("pre-fills every answer on a re-run; accepting them all changes nothing", async () => {
    const repo = makeInitRepo();
    mockDirectory({ versions: ["1.35", "1.34"] });
    const first = await runInit(repo, [], {
      answers: [
        "",
        "eu-west-1",
        "acme-ai",
        "10.30.0.0/16",
        "1.34",
        keepChecked,
        "",
        "jdoe",
        "group:Platform Admins",
        "",
        false,
        "",
        "203.0.113.0/24, 198.51.100.7/32", // --api-cidrs
      ],
    });
    expect(first.exitCode, first.stderr).toBe(0);
    const before = readIf(tfvarsFile(repo));
    const mtime = statSync(tfvarsFile(repo)).mtimeMs;
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "init");

    const again = await runInit(repo, [], {
      answers: ["", "", "", "", "1.34", keepChecked, "", "", "", "", false, "", ""],
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.asked.at(-1)?.flag).toBe("--api-cidrs");
    expect(again.stderr).toContain("Pre-filling the answers from terraform/00.global/vars/dev.tfvars");
    expect(readIf(tfvarsFile(repo))).toBe(before);
    expect(statSync(tfvarsFile(repo)).mtimeMs).toBe(mtime);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(again.stdout).toContain("Nothing changed");
    // The ids written last time come back as people, looked up by id.
    expect(again.stdout).toContain("Jane Doe <jane@example.com>");
  });

  it("falls back to typed ARNs and ids when Identity Center says access denied", async () => {
    const repo = makeInitRepo();
    mockDirectory({ versions: "unreachable" });
    sso.on(ListInstancesCommand).rejects(
      Object.assign(new Error("not authorized to perform sso:ListInstances"), {
        name: "AccessDeniedException",
      }),
    );
    const run = await runInit(repo, [], {
      answers: [
        "dev",
        "eu-central-1",
        "",
        "",
        "1.35", // from the built-in list: the EKS API is unreachable
        keepChecked,
        "",
        "arn:aws:sso:::instance/ssoins-XXXXXXXXXXXXXXXX", // the example's placeholder: refused
        INSTANCE_ARN,
        "jdoe", // a name cannot be looked up: refused at the prompt
        JANE_ID,
        "",
        "",
        false,
        "",
        "", // --api-cidrs: no address found (lookup off), so the default is the open 0.0.0.0/0
      ],
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("Could not find your public address");
    expect(run.stderr).toContain("accepts connections from anywhere");
    expect(run.stderr).toContain("Identity Center discovery is not possible: access denied");
    expect(run.stderr).toContain("built-in list of Kubernetes versions");
    const arnQuestion = run.asked.find((q) => q.flag === "--idc-instance-arn")!;
    expect(arnQuestion.rejected[0]).toContain("placeholder");
    expect(run.asked.find((q) => q.flag === "--argocd-admin")!.rejected[0]).toContain("only ids");
    const data = await parseTfvarsText("x", readIf(tfvarsFile(repo))!);
    expect(JSON.stringify(data)).toContain(JANE_ID);
  });

  it("says so when the region has no instance, and lets the user pick among several", async () => {
    const none = makeInitRepo();
    mockDirectory();
    sso.on(ListInstancesCommand).resolves({ Instances: [] });
    const typed = await runInit(none, [], {
      answers: [
        "",
        "",
        "",
        "",
        "1.35",
        keepChecked,
        "eu-west-3",
        INSTANCE_ARN,
        JANE_ID,
        "",
        "",
        false,
        "",
        "",
      ],
    });
    expect(typed.exitCode, typed.stderr).toBe(0);
    expect(typed.stderr).toContain("No Identity Center instance in eu-west-3");

    resetAws();
    const many = makeInitRepo();
    mockDirectory({ instances: 2 });
    const picked = await runInit(many, [], {
      answers: [
        "",
        "",
        "",
        "",
        "1.35",
        keepChecked,
        "",
        (choices) => choices[0]!.value,
        "jsmith",
        "",
        "",
        false,
        "",
        "",
      ],
    });
    expect(picked.exitCode, picked.stderr).toBe(0);
    const select = picked.asked.find((q) => q.flag === "--idc-instance-arn")!;
    expect(select.kind).toBe("select");
    expect(picked.stdout).toContain("John Smith <john@example.com>");
  });

  it("asks which person is meant when a name matches two users", async () => {
    const repo = makeInitRepo();
    mockDirectory({
      users: [
        JANE,
        { id: OTHER_JANE_ID, userName: "jdoe2", displayName: "Jane Doe", email: "jane.doe@corp.example" },
        JOHN,
      ],
    });
    const run = await runInit(repo, [], {
      answers: [
        "",
        "",
        "",
        "",
        "1.35",
        keepChecked,
        "",
        "Jane Doe",
        (choices) => {
          expect(choices.map((c) => c.name)).toEqual([
            `Jane Doe <jane@example.com> (user jdoe, ${JANE_ID})`,
            `Jane Doe <jane.doe@corp.example> (user jdoe2, ${OTHER_JANE_ID})`,
          ]);
          return choices[1]!.value;
        },
        "",
        "",
        false,
        "",
        "",
      ],
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const data = await parseTfvarsText("x", readIf(tfvarsFile(repo))!);
    expect(JSON.stringify(data)).toContain(OTHER_JANE_ID);
    expect(JSON.stringify(data)).not.toContain(JANE_ID);
  });

  it("never asks for a value given as a flag or in the answers file", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const file = join(repo.dir, "..", "answers.yaml");
    writeFileSync(
      file,
      "vpc-cidr: 10.9.0.0/16\ncapabilities: all\napi-cidrs: [203.0.113.0/24, 198.51.100.7/32]\n",
    );
    const run = await runInit(
      repo,
      ["--env", "dev", "--region", "eu-west-1", "--answers", file, "--argocd-admin", "jdoe"],
      {
        answers: ["", "1.35", "", false, ""],
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.asked.map((q) => q.flag)).toEqual([
      "--prefix",
      "--kubernetes-version",
      "--idc-region",
      "--docker-hub-username",
      "HF_TOKEN",
    ]);
    const data = await parseTfvarsText("x", readIf(tfvarsFile(repo))!);
    expect(data).toMatchObject({
      region: "eu-west-1",
      vpc_cidr: "10.9.0.0/16",
      cluster_config: { public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"] },
    });
  });

  it("stops before the first question when a flag is malformed, naming every bad flag", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(
      repo,
      ["--region", "Frankfurt", "--vpc-cidr", "8.8.0.0/16", "--argocd-admin", 'x"y'],
      {
        answers: [],
      },
    );
    expect(run.exitCode).toBe(2);
    expect(run.asked).toEqual([]);
    expect(run.stderr).toContain('--region "Frankfurt": must be an AWS region name');
    expect(run.stderr).toContain('--vpc-cidr "8.8.0.0/16": must be a private (RFC 1918) range');
    expect(run.stderr).toContain("--argocd-admin");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("Ctrl-C at a prompt exits 130 and writes nothing", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, [], {
      answers: [
        "",
        "",
        "",
        "",
        "1.35",
        () => {
          throw Object.assign(new Error("User force closed the prompt with SIGINT"), {
            name: "ExitPromptError",
          });
        },
      ],
    });
    expect(run.exitCode).toBe(130);
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
