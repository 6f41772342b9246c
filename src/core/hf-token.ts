import { UsageError } from "./errors.js";

/**
 * HuggingFace user access tokens are `hf_` followed by letters and digits (34 today). The check
 * catches a pasted placeholder, a stray newline or quote, or the wrong secret; the value itself
 * is never echoed in the message.
 */
const HF_TOKEN = /^hf_[A-Za-z0-9]{20,}$/;
/** Far above any real token (37 characters today): longer input is refused before any check. */
export const HF_TOKEN_MAX = 512;

export function checkHfToken(token: string): true | string {
  if (token.length > HF_TOKEN_MAX) {
    return `That is not a HuggingFace token (longer than ${HF_TOKEN_MAX} characters): tokens start with hf_ followed by letters and digits.`;
  }
  if (HF_TOKEN.test(token)) return true;
  return `That is not a HuggingFace token (${token.length} characters): tokens start with hf_ followed by letters and digits.`;
}

export function validateHfToken(token: string, source: string): string {
  const verdict = checkHfToken(token);
  if (verdict !== true) {
    // Stryker disable next-line Regex: every verdict starts with "That is" and holds it once, so the anchor changes nothing
    throw new UsageError(`${verdict.replace(/^That is/, `The token from ${source} is`)}`, {
      code: "bad-hf-token",
      hint: "Create one at huggingface.co/settings/tokens (read access is enough) and accept the model's licence.",
    });
  }
  return token;
}
