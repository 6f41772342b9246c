import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeCapabilityCommand, DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { makeTempDir } from "../support/temp.js";

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

function repoWithCluster(outputs: Record<string, string>) {
  const repo = makeTestRepo();
  mkdirSync(join(repo.dir, ".aiplat", "dev"), { recursive: true });
  writeFileSync(join(repo.dir, ".aiplat", "dev", "cluster.json"), JSON.stringify(outputs));
  return repo;
}

const CLUSTER = {
  cluster_name: "ai-platform-dev",
  cluster_endpoint: "https://ABC.gr7.eu-central-1.eks.amazonaws.com",
  cluster_certificate_authority_data: "Y2EtZGF0YQ==",
  region: "eu-central-1",
};

interface Kubeconfig {
  "current-context": string;
  contexts: { name: string; context: { cluster: string; user: string } }[];
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { exec: { command: string; args: string[]; apiVersion: string } } }[];
}

describe("aiplat kubeconfig", () => {
  it("adds a context whose credential is aiplat's own exec plugin, keeping the other contexts", async () => {
    const repo = repoWithCluster(CLUSTER);
    const file = join(makeTempDir(), "config");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Config\nclusters: [{name: other, cluster: {server: 'https://other'}}]\nusers: [{name: other, user: {token: t}}]\ncontexts: [{name: other, context: {cluster: other, user: other}}]\ncurrent-context: other\n",
    );
    const result = await runCli(["--env", "dev", "kubeconfig", "--file", file], { cwd: repo.dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("aiplat-dev");
    const doc = parse(readFileSync(file, "utf8")) as Kubeconfig;
    expect(doc["current-context"]).toBe("aiplat-dev");
    expect(doc.contexts.map((c) => c.name)).toEqual(["other", "aiplat-dev"]);
    expect(doc.clusters.find((c) => c.name === "aiplat-dev")?.cluster).toEqual({
      server: CLUSTER.cluster_endpoint,
      "certificate-authority-data": CLUSTER.cluster_certificate_authority_data,
    });
    const exec = doc.users.find((u) => u.name === "aiplat-dev")?.user.exec;
    expect(exec?.apiVersion).toBe("client.authentication.k8s.io/v1beta1");
    expect(exec?.args.slice(1)).toEqual([
      "kubeconfig",
      "--exec-credential",
      "--env",
      "dev",
      "--root",
      repo.dir,
    ]);
    expect(exec?.args[0]).toMatch(/bin[/\\]aiplat\.js$/);
    expect(JSON.stringify(doc)).not.toContain("aws eks");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Idempotent: a second run updates the same entries.
    const again = await runCli(["--env", "dev", "kubeconfig", "--file", file, "--no-set-current"], {
      cwd: repo.dir,
    });
    expect(again.stdout).toContain("Updated");
    expect((parse(readFileSync(file, "utf8")) as Kubeconfig).contexts).toHaveLength(2);
  });

  it("prints an ExecCredential with a fresh EKS token for kubectl", async () => {
    const repo = repoWithCluster(CLUSTER);
    const result = await runCli(["--env", "dev", "kubeconfig", "--exec-credential"], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const credential = JSON.parse(result.stdout) as {
      kind: string;
      status: { token: string; expirationTimestamp: string };
    };
    expect(credential.kind).toBe("ExecCredential");
    expect(credential.status.token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    expect(Date.parse(credential.status.expirationTimestamp)).toBeGreaterThan(Date.now());
    // EKS takes a token for 15 minutes; kubectl is told to replace it a minute earlier (clock skew).
    expect(Date.parse(credential.status.expirationTimestamp) - Date.now()).toBeLessThanOrEqual(14 * 60_000);
    expect(result.stderr).not.toContain(credential.status.token.slice(11, 40));
  });

  it("fills a missing endpoint from EKS DescribeCluster", async () => {
    eks
      .on(DescribeClusterCommand)
      .resolves({ cluster: { endpoint: "https://FROM-EKS", certificateAuthority: { data: "Q0E=" } } });
    eks.on(DescribeCapabilityCommand).resolves({});
    const repo = repoWithCluster({ cluster_name: "c", region: "eu-central-1" });
    const file = join(makeTempDir(), "config");
    const result = await runCli(["--env", "dev", "kubeconfig", "--file", file], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((parse(readFileSync(file, "utf8")) as Kubeconfig).clusters[0]?.cluster.server).toBe(
      "https://FROM-EKS",
    );
  });

  it("with expired SSO credentials, the exec plugin fails with exit 4 instead of a stack trace", async () => {
    const repo = repoWithCluster(CLUSTER);
    const expired = Object.assign(new Error("The SSO session has expired"), {
      name: "CredentialsProviderError",
    });
    const result = await runCli(["--env", "dev", "kubeconfig", "--exec-credential"], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory({ credentialError: expired }), awsProfile: testAwsProfile() },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("aws sso login");
    expect(result.stdout).not.toContain("ExecCredential");
  });

  it("a cluster that EKS does not know is bad configuration (exit 3) naming aiplat up", async () => {
    eks
      .on(DescribeClusterCommand)
      .rejects(Object.assign(new Error("No cluster found"), { name: "ResourceNotFoundException" }));
    const repo = repoWithCluster({ cluster_name: "gone", region: "eu-central-1" });
    const result = await runCli(["--env", "dev", "kubeconfig", "--file", join(makeTempDir(), "c")], {
      cwd: repo.dir,
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("EKS cluster gone does not exist in eu-central-1");
    expect(result.stderr).toContain("aiplat up");
  });

  it("before aiplat up made the cluster, says so (exit 4)", async () => {
    const repo = makeTestRepo();
    const result = await runCli(["--env", "dev", "kubeconfig"], { cwd: repo.dir });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("aiplat up --env dev");
  });
});
