import { cpSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListInstancesCommand } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import {
  FULL_FLAGS,
  GROUP_ID,
  INSTANCE_ARN,
  JANE,
  JANE_ID,
  JOHN_ID,
  makeInitRepo,
  mockDirectory,
  OTHER_JANE_ID,
  readIf,
  resetAws,
  runInit,
  sso,
  tfvarsFile,
} from "../fixtures/init/harness.js";
import { testAwsFactory } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

afterEach(() => resetAws());

interface InitDoc {
  environment: string;
  answers: Record<string, unknown> & {
    capabilities: Record<string, boolean>;
    argocdRbac: Record<string, Array<{ id: string }>>;
  };
  files: { tfvars: string };
  changed: string[];
  next: string;
}

const without = (flag: string) => {
  const i = FULL_FLAGS.indexOf(flag);
  return [...FULL_FLAGS.slice(0, i), ...FULL_FLAGS.slice(i + 2)];
};

describe("aiplat init without a terminal", () => {
  it("writes the tfvars from flags alone, records the environment and names the next command", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode, run.stderr).toBe(0);
    const text = readIf(tfvarsFile(repo))!;
    expect(text.startsWith('# Environment "dev", written by `aiplat init`')).toBe(true);
    const data = await parseTfvarsText("dev.tfvars", text);
    expect(data.region).toBe("eu-west-1");
    expect(data.vpc_cidr).toBe("10.8.0.0/16");
    expect(data.cluster_config).toMatchObject({
      kubernetes_version: "1.34",
      capabilities_config: {
        argocd_idc_instance_arn: INSTANCE_ARN,
        argocd_idc_region: "us-east-1",
        argocd_rbac_mappings: [{ role: "ADMIN", identities: [{ id: JANE_ID, type: "SSO_USER" }] }],
      },
    });
    expect(readIf(join(repo.dir, ".aiplat", "active-env"))).toBe("dev\n");
    expect(readIf(join(repo.dir, "argocd", "workloads.yaml"))).toContain(
      "repoURL: https://github.com/me/aiplat.git",
    );
    expect(run.stdout).toContain("Next: aiplat up");
    // ids given as flags need no Identity Center call at all.
    expect(sso.calls()).toHaveLength(0);
  });

  it("names every missing flag in one exit-2 error and writes nothing", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, ["--env", "dev", "--region", "eu-west-1"]);
    expect(run.exitCode).toBe(2);
    for (const flag of [
      "--prefix",
      "--vpc-cidr",
      "--kubernetes-version",
      "--capabilities",
      "--idc-region",
      "--idc-instance-arn",
      "--argocd-admin",
    ]) {
      expect(run.stderr).toContain(flag);
    }
    expect(run.stderr).not.toContain("--region,");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("--json lists the missing flags in the error document", async () => {
    const repo = makeInitRepo();
    const run = await runInit(repo, ["--json", ...without("--vpc-cidr")]);
    expect(run.exitCode).toBe(2);
    const doc = run.json() as { ok: boolean; error: { details: { missing: string[] } } };
    expect(doc.ok).toBe(false);
    expect(doc.error.details.missing).toEqual(["--vpc-cidr"]);
  });

  it("takes every answer from an answers file, with flags winning over it", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const file = join(repo.dir, "..", "answers.yaml");
    writeFileSync(
      file,
      [
        "env: staging",
        "region: eu-west-1",
        "prefix: from-file",
        "vpc-cidr: 172.20.0.0/16",
        'kubernetes-version: "1.33"',
        "capabilities: [all, -ack]",
        `idc-instance-arn: ${INSTANCE_ARN}`,
        "idc-region: us-east-1",
        "argocd-admin: jdoe",
        "argocd-viewer: [group:Platform Admins, jsmith]",
        "revision: release",
      ].join("\n"),
    );
    // The revision must be on origin (ArgoCD syncs it from there): as if fetched from it.
    repo.git("update-ref", "refs/remotes/origin/release", "HEAD");
    const run = await runInit(repo, ["--answers", file, "--prefix", "from-flag", "--json"]);
    expect(run.exitCode, run.stdout).toBe(0);
    const doc = run.json() as unknown as InitDoc;
    expect(doc.environment).toBe("staging");
    expect(doc.answers).toMatchObject({
      prefix: "from-flag",
      vpcCidr: "172.20.0.0/16",
      kubernetesVersion: "1.33",
      revision: "release",
    });
    expect(doc.answers.capabilities.ack).toBe(false);
    expect(doc.answers.argocdRbac.ADMIN).toEqual([
      { id: JANE_ID, type: "SSO_USER", name: "jdoe", displayName: "Jane Doe", email: "jane@example.com" },
    ]);
    expect(doc.answers.argocdRbac.VIEWER!.map((v) => v.id)).toEqual([GROUP_ID, JOHN_ID]);
    expect(doc.files.tfvars).toBe("terraform/00.global/vars/staging.tfvars");
    expect(doc.changed).toContain("terraform/00.global/vars/staging.tfvars");
    expect(doc.next).toBe("aiplat up");
    expect(readIf(join(repo.dir, "argocd", "litellm.yaml"))).toContain("targetRevision: release");
    expect(readIf(join(repo.dir, ".aiplat", "active-env"))).toBe("staging\n");
  });

  it("runs from the documented example answers file as is", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const example = join(repoRoot, "test/fixtures/init/answers.yaml");
    const run = await runInit(repo, ["--answers", example, "--json"], {
      env: { DOCKER_HUB_TOKEN: "dckr_pat_example123" },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const doc = run.json() as unknown as InitDoc;
    expect(doc.answers).toMatchObject({
      env: "staging",
      prefix: "acme-ai",
      kubernetesVersion: "1.34",
      repoUrl: "https://github.com/acme/aiplat.git",
      dockerHubCredentials: "written",
    });
    expect(doc.answers.argocdRbac.EDITOR!.map((e) => e.id)).toEqual([GROUP_ID]);
    const tfvars = await parseTfvarsText("staging.tfvars", readIf(tfvarsFile(repo, "staging"))!);
    expect(tfvars).toMatchObject({
      cluster_config: { public_access_cidrs: ["203.0.113.7/32", "198.51.100.0/24"] },
    });
  });

  it("refuses an unknown key in the answers file (exit 2)", async () => {
    const repo = makeInitRepo();
    const file = join(repo.dir, "..", "answers.yaml");
    writeFileSync(file, "regoin: eu-west-1\n");
    const run = await runInit(repo, ["--answers", file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown key "regoin"');
  });

  it("is idempotent: the same flags again change no byte and no mtime", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    expect((await runInit(repo, FULL_FLAGS)).exitCode).toBe(0);
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "configured");
    const stamp = statSync(tfvarsFile(repo)).mtimeMs;
    const again = await runInit(repo, ["--json", ...FULL_FLAGS]);
    expect(again.exitCode).toBe(0);
    expect((again.json() as { changed: string[] }).changed).toEqual([]);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(statSync(tfvarsFile(repo)).mtimeMs).toBe(stamp);
    // Without any flag the recorded environment and its file answer everything.
    const bare = await runInit(repo, ["--json"]);
    expect(bare.exitCode, bare.stdout).toBe(0);
    expect((bare.json() as { changed: string[] }).changed).toEqual([]);
  });

  it("refuses to pre-fill from a tfvars that is not valid HCL (exit 3) and says how to start over", async () => {
    const repo = makeInitRepo();
    writeFileSync(tfvarsFile(repo), 'region = "eu-west-1"\ncluster_config = {\n');
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("dev.tfvars is not valid HCL");
    expect(run.stderr).toContain(
      "mv terraform/00.global/vars/dev.tfvars terraform/00.global/vars/dev.tfvars.bak",
    );
  });

  it("refuses a broken argocd/ file (exit 3) before writing anything", async () => {
    const repo = makeInitRepo();
    writeFileSync(join(repo.dir, "argocd", "zz-broken.yaml"), "kind: Application\nspec: [\n");
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("argocd/zz-broken.yaml is not valid YAML");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    expect(readIf(join(repo.dir, ".aiplat", "active-env"))).toBeUndefined();
    expect(repo.git("status", "--porcelain")).toBe("?? argocd/zz-broken.yaml");
  });

  it("keeps hand edits to values init does not ask about", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    await runInit(repo, FULL_FLAGS);
    const edited = readIf(tfvarsFile(repo))!
      .replace("eks_auto_mode       = false", "eks_auto_mode       = true")
      .replace("gpu_node_limit = 16", "gpu_node_limit = 32")
      .replace('project = "acme-ai"', 'project = "acme-ai"\n  owner   = "ml-team"');
    writeFileSync(tfvarsFile(repo), edited);
    const run = await runInit(repo, [...without("--region"), "--region", "us-west-2"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const data = await parseTfvarsText("x", readIf(tfvarsFile(repo))!);
    expect(data).toMatchObject({
      region: "us-west-2",
      tags: { owner: "ml-team" },
      cluster_config: { eks_auto_mode: true, gpu_node_limit: 32 },
    });
  });

  it("with --yes takes the defaults and the one Identity Center instance there is", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, ["--yes", "--json", "--argocd-admin", "jane@example.com"], {
      env: { AWS_REGION: "ap-south-1" },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const doc = run.json() as unknown as InitDoc;
    expect(doc.answers).toMatchObject({
      env: "dev",
      region: "ap-south-1",
      idcRegion: "ap-south-1",
      prefix: "ai-platform",
      vpcCidr: "10.4.0.0/16",
      kubernetesVersion: "1.35",
      idcInstanceArn: INSTANCE_ARN,
    });
    expect(doc.answers.argocdRbac.ADMIN![0]!.id).toBe(JANE_ID);
  });

  it("refuses a name that matches two users, listing both, and writes nothing", async () => {
    const repo = makeInitRepo();
    mockDirectory({
      users: [JANE, { ...JANE, id: OTHER_JANE_ID, userName: "jdoe2", email: "jd@corp.example" }],
    });
    const run = await runInit(repo, [...without("--argocd-admin"), "--argocd-admin", "Jane Doe"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--argocd-admin "Jane Doe": matches 2 users');
    expect(run.stderr).toContain("jd@corp.example");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
  });

  it("cannot resolve a name when Identity Center denies access, and says to pass the id", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    sso
      .on(ListInstancesCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const run = await runInit(repo, [...without("--argocd-admin"), "--argocd-admin", "jdoe"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /--argocd-admin "jdoe": cannot look a name up \(access denied.*pass the user id instead/,
    );
  });

  it("asks nothing about Identity Center when gitops is off", async () => {
    const repo = makeInitRepo();
    const argv = FULL_FLAGS.slice(0, FULL_FLAGS.indexOf("--capabilities"));
    const run = await runInit(repo, [
      ...argv,
      "--capabilities",
      "none,kube_proxy,networking,coredns",
      "--idc-region",
      "us-east-1",
      "--argocd-admin",
      JANE_ID,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const data = await parseTfvarsText("x", readIf(tfvarsFile(repo))!);
    expect(data.cluster_config).toMatchObject({
      capabilities: { gitops: false, autoscaling: false, kube_proxy: true },
      capabilities_config: { argocd_idc_instance_arn: "", argocd_rbac_mappings: [] },
    });
    expect(sso.calls()).toHaveLength(0);
    // Identity Center flags given for nothing: the user is told.
    expect(run.stderr).toContain(
      "gitops is off, so ArgoCD needs no sign-in: ignoring --idc-region, --argocd-admin.",
    );
  });

  it("--yes without a discoverable instance says why and names the flag", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    sso.on(ListInstancesCommand).resolves({ Instances: [] });
    const run = await runInit(repo, ["--yes", "--argocd-admin", JANE_ID]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("No Identity Center instance in eu-central-1");
    expect(run.stderr).toContain("Missing values for --idc-instance-arn");
  });

  it("documents every question as a flag in --help", async () => {
    const run = await runInit(makeInitRepo(), ["--help"]);
    expect(run.exitCode).toBe(0);
    for (const flag of [
      "--answers",
      "--region",
      "--prefix",
      "--vpc-cidr",
      "--kubernetes-version",
      "--capabilities",
      "--idc-instance-arn",
      "--idc-region",
      "--argocd-admin",
      "--argocd-editor",
      "--argocd-viewer",
      "--repo-url",
      "--revision",
      "--docker-hub-username",
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it("converts an SSH origin to https for ArgoCD and says so", async () => {
    const repo = makeInitRepo({ remote: "git@github.com:me/aiplat.git" });
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readIf(join(repo.dir, "argocd", "workloads.yaml"))).toContain(
      "repoURL: https://github.com/me/aiplat.git",
    );
    expect(run.stdout).toContain(
      "origin git@github.com:me/aiplat.git is written as https://github.com/me/aiplat.git",
    );
  });

  it("refuses a clone without an origin remote (exit 3) unless --repo-url is given", async () => {
    const repo = makeInitRepo({ remote: null });
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('has no git remote "origin"');
    expect(run.stderr).toContain("--repo-url");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    const given = await runInit(repo, [
      ...FULL_FLAGS,
      "--repo-url",
      "git@gitlab.com:me/aiplat.git",
      "--revision",
      "main",
    ]);
    expect(given.exitCode, given.stderr).toBe(0);
    // ArgoCD cannot clone over SSH without a key init cannot register: written in its https form.
    expect(readIf(join(repo.dir, "argocd", "workloads.yaml"))).toContain(
      "repoURL: https://gitlab.com/me/aiplat.git",
    );
  });

  it("says when the directory is not a git clone instead of blaming a detached HEAD (exit 3)", async () => {
    const root = makeTempDir("aiplat-init-noclone-");
    for (const dir of ["terraform/00.global/vars", "platform"])
      mkdirSync(join(root, dir), { recursive: true });
    cpSync(join(repoRoot, "argocd"), join(root, "argocd"), { recursive: true });
    const run = await runCli(["init", ...FULL_FLAGS, "--repo-url", "https://github.com/me/aiplat.git"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: root, NO_COLOR: "1" },
      adapters: { aws: testAwsFactory() },
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("is not a git clone");
    expect(run.stderr).toContain("--revision");
    expect(run.stderr).not.toContain("detached");
    expect(existsSync(join(root, "terraform/00.global/vars/dev.tfvars"))).toBe(false);
  });

  it("warns that a branch only in this clone must be pushed before ArgoCD can sync it", async () => {
    const repo = makeInitRepo();
    repo.git("switch", "-q", "-c", "my-feature");
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readIf(join(repo.dir, "argocd", "workloads.yaml"))).toContain("targetRevision: my-feature");
    expect(run.stdout).toContain(
      "branch my-feature is not on a remote yet: push it (git push -u origin my-feature)",
    );
  });

  it("writes Docker Hub credentials from --docker-hub-username and DOCKER_HUB_TOKEN to the 0600 secret file only", async () => {
    const repo = makeInitRepo();
    const token = "dckr_pat_fromTheEnvironment";
    const run = await runInit(repo, [...FULL_FLAGS, "--docker-hub-username", "dockerme", "--debug"], {
      env: { DOCKER_HUB_TOKEN: token },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(readIf(secret)).toContain(token);
    expect(readIf(tfvarsFile(repo))).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(token);
    const missing = await runInit(makeInitRepo(), [...FULL_FLAGS, "--docker-hub-username", "dockerme"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("DOCKER_HUB_TOKEN");
  });
});
