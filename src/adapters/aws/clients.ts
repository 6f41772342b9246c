import type { EC2Client } from "@aws-sdk/client-ec2";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import type { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import type { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * SDK clients are made on demand (each SDK costs tens to hundreds of ms to import) and passed
 * into adapters; tests intercept them with aws-sdk-client-mock and inject credentials.
 */
export interface AwsClientFactory {
  /** The credential chain (env, SSO profiles, web identity, instance roles), shared by all clients. */
  credentials: AwsCredentialIdentityProvider;
  sts(region?: string): Promise<STSClient>;
  eks(region: string): Promise<EKSClient>;
  s3(region: string): Promise<S3Client>;
  /** The customer managed key of the Terraform state bucket. */
  kms(region: string): Promise<KMSClient>;
  ec2(region: string): Promise<EC2Client>;
  elbv2(region: string): Promise<ElasticLoadBalancingV2Client>;
  ssoAdmin(region: string): Promise<SSOAdminClient>;
  identityStore(region: string): Promise<IdentitystoreClient>;
  serviceQuotas(region: string): Promise<ServiceQuotasClient>;
}

export interface AwsClientFactoryOptions {
  profile?: string | undefined;
  credentials?: AwsCredentialIdentityProvider | undefined;
}

export function createAwsClientFactory(options: AwsClientFactoryOptions = {}): AwsClientFactory {
  // The SDK warns on every run under Node 20 about a future release; doctor reports the Node version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let chain: AwsCredentialIdentityProvider | undefined = options.credentials;
  // Resolve the chain once and memoise, so every client and the expiry check see the same identity.
  const credentials: AwsCredentialIdentityProvider = async (): Promise<AwsCredentialIdentity> => {
    if (!chain) {
      const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
      chain = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
    }
    return chain();
  };
  const config = (region?: string) => ({ region: region ?? "us-east-1", credentials });
  const cache = new Map<string, unknown>();
  const memo = async <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, await make());
    return cache.get(key) as T;
  };
  return {
    credentials,
    sts: (region) =>
      memo(`sts:${region}`, async () => new (await import("@aws-sdk/client-sts")).STSClient(config(region))),
    eks: (region) =>
      memo(`eks:${region}`, async () => new (await import("@aws-sdk/client-eks")).EKSClient(config(region))),
    s3: (region) =>
      memo(`s3:${region}`, async () => new (await import("@aws-sdk/client-s3")).S3Client(config(region))),
    kms: (region) =>
      memo(`kms:${region}`, async () => new (await import("@aws-sdk/client-kms")).KMSClient(config(region))),
    ec2: (region) =>
      memo(`ec2:${region}`, async () => new (await import("@aws-sdk/client-ec2")).EC2Client(config(region))),
    elbv2: (region) =>
      memo(
        `elbv2:${region}`,
        async () =>
          new (await import("@aws-sdk/client-elastic-load-balancing-v2")).ElasticLoadBalancingV2Client(
            config(region),
          ),
      ),
    ssoAdmin: (region) =>
      memo(
        `sso:${region}`,
        async () => new (await import("@aws-sdk/client-sso-admin")).SSOAdminClient(config(region)),
      ),
    identityStore: (region) =>
      memo(
        `ids:${region}`,
        async () => new (await import("@aws-sdk/client-identitystore")).IdentitystoreClient(config(region)),
      ),
    serviceQuotas: (region) =>
      memo(
        `quotas:${region}`,
        async () => new (await import("@aws-sdk/client-service-quotas")).ServiceQuotasClient(config(region)),
      ),
  };
}
