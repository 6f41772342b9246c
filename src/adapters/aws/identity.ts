import { ExternalError, PrerequisiteError } from "../../core/errors.js";
import type { AwsClientFactory } from "./clients.js";

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface AwsIdentity {
  /** STS GetCallerIdentity through the default chain (SSO profiles included). */
  callerIdentity(): Promise<CallerIdentity>;
  /** When the current credentials expire; undefined for long-lived keys. */
  credentialExpiry(): Promise<Date | undefined>;
}

export function createAwsIdentity(clients: AwsClientFactory, region: string | undefined): AwsIdentity {
  return {
    async callerIdentity() {
      const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
      const sts = await clients.sts(region);
      try {
        const out = await sts.send(new GetCallerIdentityCommand({}));
        return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
      } catch (error) {
        throw wrapCredentialError(error);
      }
    },
    async credentialExpiry() {
      try {
        return (await clients.credentials()).expiration;
      } catch (error) {
        throw wrapCredentialError(error);
      }
    },
  };
}

/** Missing or expired credentials are a prerequisite problem (exit 4), anything else an API failure. */
export function wrapCredentialError(error: unknown): Error {
  const name = (error as { name?: string })?.name ?? "";
  const message = (error as { message?: string })?.message ?? String(error);
  if (
    name === "CredentialsProviderError" ||
    name === "ExpiredTokenException" ||
    name === "ExpiredToken" ||
    name === "InvalidClientTokenId" ||
    name === "UnrecognizedClientException" ||
    /token.*expired|expired.*token|could not load credentials/i.test(message)
  ) {
    return new PrerequisiteError(`AWS credentials are missing or expired: ${message}`, {
      code: "aws-credentials",
      cause: error,
    });
  }
  return new ExternalError(`AWS STS call failed: ${message}`, { code: "aws-failed", cause: error });
}
