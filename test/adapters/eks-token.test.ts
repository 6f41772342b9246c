import { createHash, createHmac } from "node:crypto";
import { DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildEksKubeConfig,
  createEksConnector,
  createEksToken,
  createEksTokenSource,
} from "../../src/adapters/kube/eks-connector.js";
import { testAwsFactory } from "../support/aws.js";

const credentials = async () => ({
  accessKeyId: "ASIAEXAMPLEEXAMPLE00",
  secretAccessKey: "secret/EXAMPLE+key",
  sessionToken: "session-token-EXAMPLE",
});
const NOW = new Date("2026-11-26T12:34:56Z");

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice("k8s-aws-v1.".length), "base64url").toString("utf8"));
}

/** SigV4 of the presigned GET, computed independently, to prove the x-k8s-aws-id header is signed. */
function expectedSignature(url: URL, cluster: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== "X-Amz-Signature");
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonical = [
    "GET",
    "/",
    query,
    `host:${url.hostname}`,
    `x-k8s-aws-id:${cluster}`,
    "",
    "host;x-k8s-aws-id",
    createHash("sha256").update("").digest("hex"),
  ].join("\n");
  const date = url.searchParams.get("X-Amz-Date") ?? "";
  const scope = `${date.slice(0, 8)}/eu-central-1/sts/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, createHash("sha256").update(canonical).digest("hex")].join(
    "\n",
  );
  let key: Buffer = createHmac("sha256", "AWS4secret/EXAMPLE+key").update(date.slice(0, 8)).digest();
  for (const part of ["eu-central-1", "sts", "aws4_request"])
    key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("EKS token", () => {
  it("is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL signed with the cluster header", async () => {
    const { token, expiresAt } = await createEksToken({
      credentials,
      region: "eu-central-1",
      clusterName: "ai-platform-dev",
      now: NOW,
    });
    expect(token.startsWith("k8s-aws-v1.")).toBe(true);
    expect(token.slice(11)).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    const url = decode(token);
    expect(url.origin).toBe("https://sts.eu-central-1.amazonaws.com");
    expect(url.searchParams.get("Action")).toBe("GetCallerIdentity");
    expect(url.searchParams.get("Version")).toBe("2011-06-15");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(url.searchParams.get("X-Amz-Date")).toBe("20261126T123456Z");
    expect(url.searchParams.get("X-Amz-Credential")).toBe(
      "ASIAEXAMPLEEXAMPLE00/20261126/eu-central-1/sts/aws4_request",
    );
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host;x-k8s-aws-id");
    expect(url.searchParams.get("X-Amz-Security-Token")).toBe("session-token-EXAMPLE");
    expect(url.searchParams.get("X-Amz-Signature")).toBe(expectedSignature(url, "ai-platform-dev"));
    expect(expiresAt.getTime() - NOW.getTime()).toBe(15 * 60_000);
  });

  it("is made again a minute before its 15 minutes are up, not on every request", async () => {
    let now = NOW.getTime();
    const source = createEksTokenSource(
      { credentials, region: "eu-central-1", clusterName: "c" },
      () => new Date(now),
    );
    const first = await source.token();
    now += 13 * 60_000;
    expect(await source.token()).toBe(first);
    now += 60_000 + 1000; // 14m01s: inside the refresh margin
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get("X-Amz-Date")).toBe("20261126T124857Z");
  });

  it("is sent as the bearer token of every request through the KubeConfig", async () => {
    const config = await buildEksKubeConfig(
      {
        name: "c",
        endpoint: "https://ABC.gr7.eu-central-1.eks.amazonaws.com",
        certificateAuthorityData: Buffer.from("ca").toString("base64"),
        region: "eu-central-1",
      },
      { token: async () => "k8s-aws-v1.abc" },
    );
    const opts: { headers?: Record<string, string> } = {};
    await config.applyToHTTPSOptions(opts as never);
    expect(opts.headers?.Authorization).toBe("Bearer k8s-aws-v1.abc");
    expect(config.getCurrentCluster()?.server).toBe("https://ABC.gr7.eu-central-1.eks.amazonaws.com");
  });
});

describe("EKS connector", () => {
  const eks = mockClient(EKSClient);
  afterEach(() => eks.reset());

  it("says nothing is configured before the cluster exists", async () => {
    const connector = createEksConnector({
      aws: testAwsFactory(),
      readClusterAccess: async () => undefined,
      registerSecret: () => {},
      env: "dev",
    });
    expect(await connector.connect()).toBeUndefined();
  });

  it("completes a cached cluster with DescribeCluster and registers each token as a secret", async () => {
    eks.on(DescribeClusterCommand).resolves({
      cluster: {
        endpoint: "https://X.eks.amazonaws.com",
        certificateAuthority: { data: "Y2E=" },
        arn: "arn:aws:eks:eu-central-1:1:cluster/c",
        status: "ACTIVE",
      },
    });
    const secrets: string[] = [];
    const connector = createEksConnector({
      aws: testAwsFactory(),
      readClusterAccess: async () => ({
        name: "c",
        endpoint: "",
        certificateAuthorityData: "",
        region: "eu-central-1",
      }),
      registerSecret: (s) => secrets.push(s),
      env: "dev",
    });
    const target = await connector.connect();
    expect(target?.description).toBe("EKS cluster c (eu-central-1)");
    expect(target?.config.getCurrentCluster()?.server).toBe("https://X.eks.amazonaws.com");
    const opts: { headers?: Record<string, string> } = {};
    await target?.config.applyToHTTPSOptions(opts as never);
    expect(opts.headers?.Authorization).toMatch(/^Bearer k8s-aws-v1\./);
    expect(secrets[0]).toBe(opts.headers?.Authorization?.slice(7));
    expect(eks.commandCalls(DescribeClusterCommand)[0]?.args[0].input).toEqual({ name: "c" });
  });
});
