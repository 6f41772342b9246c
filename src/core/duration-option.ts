import { parseDuration } from "./clock.js";
import { UsageError } from "./errors.js";

/** The range every duration option (--timeout, --capacity-timeout…) accepts. */
export const MIN_DURATION_MS = 1000;
export const MAX_DURATION_MS = 24 * 3600_000;

/**
 * Parses a duration option or says what is allowed: "0s" parses but waits for nothing, so the
 * message gives the range, not only the grammar.
 */
export function parseDurationOption(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a duration from 1s to 24h (such as 90s, 15m or 1h30m).`,
      { code: "invalid-input" },
    );
  }
  return ms;
}
