import { createHash, createHmac } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";
import type { AwsCredentialIdentityProvider, SourceData } from "@smithy/types";
import { ConfigError, ExternalError, PrerequisiteError } from "../../core/errors.js";
import type { AwsClientFactory } from "../aws/clients.js";
import { wrapCredentialError } from "../aws/identity.js";
import { staticKubeConfig } from "./client-config.js";
import type { KubeConnector, KubeTarget } from "./connect.js";

/**
 * Reaching the environment's EKS cluster with no AWS CLI and no kubeconfig: the endpoint and CA
 * come from the cluster stage's outputs (cached in .aiplat/<env>/cluster.json) or EKS
 * DescribeCluster, and the bearer token is what `aws eks get-token` makes: a presigned STS
 * GetCallerIdentity URL carrying the `x-k8s-aws-id: <cluster>` header, base64url-encoded after the
 * prefix `k8s-aws-v1.`. EKS accepts a token for 15 minutes; it is made again a minute before that.
 */

export const TOKEN_PREFIX = "k8s-aws-v1.";
/** EKS rejects tokens older than 15 minutes, whatever X-Amz-Expires says. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** Tokens are replaced this long before EKS stops taking them (clock skew; AWS CLI also stops at 14 min). */
export const REFRESH_MARGIN_MS = 60_000;

export interface EksToken {
  token: string;
  expiresAt: Date;
}

export interface EksTokenOptions {
  credentials: AwsCredentialIdentityProvider;
  region: string;
  clusterName: string;
  now: Date;
}

/** sha256 for the signer, from node:crypto (the Checksum shape @smithy/signature-v4 expects). */
class Sha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: Buffer | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.secret ? createHmac("sha256", this.secret) : createHash("sha256");
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.secret ? createHmac("sha256", this.secret) : createHash("sha256");
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export async function createEksToken(options: EksTokenOptions): Promise<EksToken> {
  try {
    return await presignToken(options);
  } catch (error) {
    const wrapped = wrapCredentialError(error);
    // Missing or expired credentials: exit 4 with the re-login hint; anything else is ours.
    if (wrapped instanceof PrerequisiteError) {
      throw new PrerequisiteError(`Cannot make an EKS token: ${wrapped.message}`, {
        code: wrapped.code,
        hint: "Renew your AWS credentials (e.g. `aws sso login --profile <profile>`), then retry.",
        cause: error,
      });
    }
    throw error;
  }
}

async function presignToken(options: EksTokenOptions): Promise<EksToken> {
  const { SignatureV4 } = await import("@smithy/signature-v4");
  const hostname = `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: "sts",
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname,
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: hostname, "x-k8s-aws-id": options.clusterName },
    },
    { expiresIn: 60, signingDate: options.now },
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value])
      if (v !== null && v !== undefined) search.append(key, v);
  }
  const url = `https://${hostname}/?${search.toString()}`;
  const token = TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url").replace(/=+$/, "");
  return { token, expiresAt: new Date(options.now.getTime() + TOKEN_LIFETIME_MS) };
}

/** A token source that makes a new token when the current one is within a minute of expiring. */
export function createEksTokenSource(
  options: Omit<EksTokenOptions, "now">,
  now: () => Date = () => new Date(),
): { token(): Promise<string> } {
  let current: EksToken | undefined;
  return {
    async token() {
      const at = now();
      if (!current || current.expiresAt.getTime() - at.getTime() <= REFRESH_MARGIN_MS) {
        current = await createEksToken({ ...options, now: at });
      }
      return current.token;
    },
  };
}

export interface ClusterAccess {
  name: string;
  endpoint: string;
  /** Base64 PEM, as EKS and terraform give it. */
  certificateAuthorityData: string;
  region: string;
  arn?: string | undefined;
}

/** A KubeConfig whose requests carry a fresh EKS token (a custom authenticator, no exec plugin). */
export async function buildEksKubeConfig(
  access: ClusterAccess,
  tokens: { token(): Promise<string> },
): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  const user = `aiplat-eks-${access.name}`;
  config.loadFromOptions({
    clusters: [
      {
        name: access.name,
        server: access.endpoint,
        caData: access.certificateAuthorityData,
        // EKS endpoints are https; a plain-http endpoint (a local stand-in) has no TLS to verify.
        skipTLSVerify: access.endpoint.startsWith("http:"),
      },
    ],
    users: [{ name: user }],
    contexts: [{ name: access.name, cluster: access.name, user }],
    currentContext: access.name,
  });
  config.addAuthenticator({
    isAuthProvider: (u) => u.name === user,
    applyAuthentication: async (_u, opts) => {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      headers.Authorization = `Bearer ${await tokens.token()}`;
      opts.headers = headers;
    },
  });
  return config;
}

export interface EksConnectorOptions {
  aws: AwsClientFactory;
  /** Reads the cached cluster outputs of the environment (undefined before `aiplat up` made the cluster). */
  readClusterAccess(): Promise<ClusterAccess | undefined>;
  /** Registers each token so it never shows up in logs. */
  registerSecret(secret: string): void;
  env: string;
}

/** The default connector when no --kubeconfig/--context/KUBECONFIG is given. */
export function createEksConnector(options: EksConnectorOptions): KubeConnector {
  return {
    async connect(): Promise<KubeTarget | undefined> {
      const cached = await options.readClusterAccess();
      if (!cached) return undefined;
      const access = await completeAccess(options.aws, cached);
      const source = createEksTokenSource({
        credentials: options.aws.credentials,
        region: access.region,
        clusterName: access.name,
      });
      const tokens = {
        async token() {
          const t = await source.token();
          options.registerSecret(t);
          return t;
        },
      };
      return {
        config: staticKubeConfig({
          server: access.endpoint,
          ca: Buffer.from(access.certificateAuthorityData, "base64"),
          // The same rule as buildEksKubeConfig: a plain-http endpoint has no TLS to verify.
          skipTLSVerify: access.endpoint.startsWith("http:"),
          token: () => tokens.token(),
        }),
        kubeConfig: () => buildEksKubeConfig(access, tokens),
        description: `EKS cluster ${access.name} (${access.region})`,
      };
    },
  };
}

/** Endpoint or CA missing from the cache: ask EKS DescribeCluster. */
export async function completeAccess(aws: AwsClientFactory, access: ClusterAccess): Promise<ClusterAccess> {
  if (access.endpoint && access.certificateAuthorityData) return access;
  const out = await describeCluster(aws, access.name, access.region);
  const endpoint = out.cluster?.endpoint;
  const ca = out.cluster?.certificateAuthority?.data;
  if (!endpoint || !ca) {
    throw new ConfigError(
      `EKS cluster ${access.name} has no endpoint yet (status ${out.cluster?.status ?? "unknown"}).`,
      {
        code: "cluster-not-ready",
        hint: "Wait for the cluster to become ACTIVE, or run `aiplat up` to finish creating it.",
      },
    );
  }
  return { ...access, endpoint, certificateAuthorityData: ca, arn: out.cluster?.arn ?? access.arn };
}

/** EKS DescribeCluster with its failures made user-facing (exit 3/4/5, never a raw SDK error). */
export async function describeCluster(aws: AwsClientFactory, name: string, region: string) {
  const { DescribeClusterCommand } = await import("@aws-sdk/client-eks");
  const eks = await aws.eks(region);
  try {
    return await eks.send(new DescribeClusterCommand({ name }));
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") {
      throw new ConfigError(`EKS cluster ${name} does not exist in ${region}.`, {
        code: "no-cluster",
        hint: "Run `aiplat up` to create it (or check AWS_PROFILE points at the right account).",
        cause: error,
      });
    }
    const wrapped = wrapCredentialError(error);
    if (wrapped instanceof PrerequisiteError) throw wrapped;
    throw new ExternalError(`EKS DescribeCluster ${name} failed: ${(error as Error).message}`, {
      code: "eks-failed",
      cause: error,
    });
  }
}
