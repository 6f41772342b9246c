/**
 * Secret redaction. Every error message, log line and --debug dump passes through a Redactor:
 * values registered at run time (the LiteLLM master key read from the cluster, a token typed at a
 * prompt) are replaced wherever they appear, and well-known secret shapes are masked even when
 * nobody registered them (a token pasted into a flag by mistake, terraform echoing a variable).
 */

const MASK = "***";

/** Shapes that are secret wherever they appear. Each keeps a short, harmless prefix for context. */
const SECRET_PATTERNS: ReadonlyArray<{ pattern: RegExp; keep: number }> = [
  { pattern: /\bsk-[A-Za-z0-9_-]{8,}/g, keep: 3 }, // LiteLLM / OpenAI-style keys
  { pattern: /\bhf_[A-Za-z0-9]{8,}/g, keep: 3 }, // HuggingFace tokens
  { pattern: /\bdckr_pat_[A-Za-z0-9_-]{8,}/g, keep: 9 }, // Docker Hub access tokens
  { pattern: /\bk8s-aws-v1\.[A-Za-z0-9_-]{16,}/g, keep: 11 }, // EKS bearer tokens
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, keep: 4 }, // AWS access key ids
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g, keep: 4 }, // GitHub tokens (git remotes with credentials)
];

/**
 * `key=value` / `"key": "value"` pairs whose key names a secret. The match needs no word boundary,
 * so `token` also covers access_token, AWS_SESSION_TOKEN and the like (the text before it is kept).
 */
const SECRET_ASSIGNMENT =
  /((?:password|passwd|secret|token|api[_-]?key|master[_-]?key|aws_secret_access_key)["']?\s*[:=]\s*["']?)([^\s"',;}]{4,})/gi;

/** Credentials embedded in URLs: https://user:pass@host. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)([^@\s/]+)(@)/gi;

/** Bearer tokens in headers that a debug dump might include. */
const BEARER = /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/g;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Register a secret value learned at run time; anything shorter than 4 characters is ignored. */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    for (const { pattern, keep } of SECRET_PATTERNS) {
      out = out.replace(pattern, (match) => `${match.slice(0, keep)}${MASK}`);
    }
    out = out.replace(SECRET_ASSIGNMENT, (_m, key: string) => `${key}${MASK}`);
    out = out.replace(
      URL_CREDENTIALS,
      (_m, head: string, _secret: string, at: string) => `${head}${MASK}${at}`,
    );
    out = out.replace(BEARER, (_m, head: string) => `${head}${MASK}`);
    return out;
  }

  /** Redact every string inside a JSON-like value (for --json error documents and debug dumps). */
  redactValue<T>(value: T): T {
    return redactDeep(value, (s) => this.redact(s)) as T;
  }
}

function redactDeep(value: unknown, redactString: (s: string) => string): unknown {
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactString));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redactString);
    return out;
  }
  return value;
}
