/**
 * How one Identity Center call runs: with a deadline and Ctrl-C, and with the failures that mean
 * "not allowed", "not signed in" or "not reachable" turned into IdentityCenterUnavailable, which
 * init answers by falling back to typed ARNs and ids. Everything else is an ExternalError (exit 5).
 */
import { ExternalError } from "../../core/errors.js";

export class IdentityCenterUnavailable extends Error {
  readonly reason: "access-denied" | "no-credentials" | "unreachable";
  constructor(reason: IdentityCenterUnavailable["reason"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IdentityCenterUnavailable";
    this.reason = reason;
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as { name?: string })?.name === "ResourceNotFoundException";
}

/**
 * One SDK call with a deadline and Ctrl-C. The abort reaches the SDK's HTTP request, and the race
 * makes sure the wizard moves on even when the SDK is stuck before sending (credential refresh).
 */
export async function callWithin<T>(
  send: (abortSignal: AbortSignal) => Promise<T>,
  region: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const deadline = new AbortController();
  const abort = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const stop = () => abort.abort(signal?.reason);
  signal?.addEventListener("abort", stop, { once: true });
  deadline.signal.addEventListener("abort", stop, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(
        deadline.signal.aborted
          ? new IdentityCenterUnavailable(
              "unreachable",
              `Identity Center in ${region} did not answer within ${Math.round(timeoutMs / 1000)} s`,
            )
          : Object.assign(new Error("Interrupted"), { name: "AbortError" }),
      );
    if (signal?.aborted) fail();
    else abort.signal.addEventListener("abort", fail, { once: true });
  });
  try {
    return await Promise.race([classify(() => send(abort.signal)), stopped]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
  }
}

/** Turns "you may not" and "you are not signed in" into IdentityCenterUnavailable; the rest pass. */
async function classify<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const name = (error as { name?: string })?.name ?? "";
    const message = (error as { message?: string })?.message ?? String(error);
    if (name === "AccessDeniedException" || name === "AccessDenied" || name === "UnauthorizedException") {
      throw new IdentityCenterUnavailable("access-denied", `access denied: ${message}`, { cause: error });
    }
    if (
      name === "CredentialsProviderError" ||
      name === "ExpiredTokenException" ||
      name === "UnrecognizedClientException" ||
      /could not load credentials|token.*expired/i.test(message)
    ) {
      throw new IdentityCenterUnavailable("no-credentials", `no usable AWS credentials: ${message}`, {
        cause: error,
      });
    }
    if (
      name === "TimeoutError" ||
      /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|socket hang up/.test(message)
    ) {
      throw new IdentityCenterUnavailable("unreachable", `Identity Center is unreachable: ${message}`, {
        cause: error,
      });
    }
    if (isNotFound(error)) throw error;
    throw new ExternalError(`Identity Center call failed: ${name ? `${name}: ` : ""}${message}`, {
      code: "identity-center-failed",
      cause: error,
    });
  }
}
