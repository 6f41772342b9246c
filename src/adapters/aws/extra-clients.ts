import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { AwsClientFactory } from "./clients.js";

/**
 * IAM and CloudWatch Logs clients for the teardown's leftover scan, made from the factory's shared
 * credential chain (the factory itself is shared; these are only needed by `destroy`). The SDK
 * reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> by itself.
 */
const cache = new WeakMap<AwsClientFactory, Map<string, unknown>>();

function memo<T>(factory: AwsClientFactory, key: string, make: () => Promise<T>): Promise<T> {
  let map = cache.get(factory);
  if (!map) {
    map = new Map();
    cache.set(factory, map);
  }
  if (!map.has(key)) map.set(key, make());
  return map.get(key) as Promise<T>;
}

export function iamClient(factory: AwsClientFactory, region: string): Promise<IAMClient> {
  return memo(factory, `iam:${region}`, async () => {
    const { IAMClient } = await import("@aws-sdk/client-iam");
    return new IAMClient({ region, credentials: factory.credentials });
  });
}

export function logsClient(factory: AwsClientFactory, region: string): Promise<CloudWatchLogsClient> {
  return memo(factory, `logs:${region}`, async () => {
    const { CloudWatchLogsClient } = await import("@aws-sdk/client-cloudwatch-logs");
    return new CloudWatchLogsClient({ region, credentials: factory.credentials });
  });
}
