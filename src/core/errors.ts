/**
 * The error model: every failure a user can cause or meet is an AiplatError with a stable `code`,
 * a message that says what went wrong, an optional `hint` with the command that fixes it, and the
 * exit code of CLI.md. Only src/cli/main.ts turns these into exit codes.
 */

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  prerequisite: 4,
  external: 5,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface AiplatErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** Extra machine-readable facts for --json output (never secrets). */
  details?: Record<string, unknown> | undefined;
}

export class AiplatError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, exitCode: ExitCodeValue, options: AiplatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** Bad input on the command line, in an answers file or at a prompt (exit 2). */
export class UsageError extends AiplatError {
  constructor(message: string, options: AiplatErrorOptions & { code?: string } = {}) {
    super(options.code ?? "usage", message, ExitCode.usage, options);
  }
}

/** The repository or environment configuration is missing or wrong (exit 3). */
export class ConfigError extends AiplatError {
  constructor(message: string, options: AiplatErrorOptions & { code?: string } = {}) {
    super(options.code ?? "config", message, ExitCode.config, options);
  }
}

/** A tool, credential or resource that must exist first is missing (exit 4). */
export class PrerequisiteError extends AiplatError {
  constructor(message: string, options: AiplatErrorOptions & { code?: string } = {}) {
    super(options.code ?? "prerequisite", message, ExitCode.prerequisite, options);
  }
}

/** An external tool or API failed: terraform, git, Kubernetes, AWS, LiteLLM (exit 5). */
export class ExternalError extends AiplatError {
  constructor(message: string, options: AiplatErrorOptions & { code?: string } = {}) {
    super(options.code ?? "external", message, ExitCode.external, options);
  }
}

/** The user pressed Ctrl-C or the operation was aborted (exit 130). */
export class InterruptedError extends AiplatError {
  constructor(message = "Interrupted.", options: AiplatErrorOptions & { code?: string } = {}) {
    super(options.code ?? "interrupted", message, ExitCode.interrupted, options);
  }
}

export function isAiplatError(value: unknown): value is AiplatError {
  return value instanceof AiplatError;
}
