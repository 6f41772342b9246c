import { type AwsClientFactory, createAwsClientFactory } from "../../src/adapters/aws/clients.js";
import type { AwsProfileInfo } from "../../src/adapters/aws/profile.js";

/**
 * Real SDK clients with injected credentials: no network is touched as long as the test intercepts
 * the clients with aws-sdk-client-mock (`mockClient(STSClient)`), and the credential expiry is
 * whatever the test says.
 */
export function testAwsFactory(
  options: { expiration?: Date; credentialError?: Error } = {},
): AwsClientFactory {
  return createAwsClientFactory({
    credentials: async () => {
      if (options.credentialError) throw options.credentialError;
      return {
        accessKeyId: "ASIATESTTESTTESTTEST",
        secretAccessKey: "test-secret-access-key",
        sessionToken: "test-session-token",
        ...(options.expiration ? { expiration: options.expiration } : {}),
      };
    },
  });
}

export function testAwsProfile(overrides: Partial<AwsProfileInfo> = {}): () => Promise<AwsProfileInfo> {
  return async () => ({ name: "platform", sso: true, region: "eu-central-1", ...overrides });
}
