import { ExternalError } from "./errors.js";

/**
 * Bounds a call that has no deadline of its own (an API server that accepts the connection and
 * never answers would otherwise hang a check forever). The call itself is not cancelled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ExternalError(`${what} did not answer within ${Math.round(ms / 1000)}s`, { code: "timeout" }),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
