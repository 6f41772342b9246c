import { join } from "node:path";
import { ExternalError, InterruptedError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";
import type { ProcessRunner, RunResult } from "./process.js";

/**
 * The terraform binary, one stage at a time. Every call uses the flags of the original Makefile
 * (`-input=false -no-color -lock=true -compact-warnings`), runs in automation mode, appends its
 * full output to `<logDir>/<stage>-<command>.log`, and on Ctrl-C lets terraform stop by itself
 * (the process runner sends exactly one SIGINT and waits).
 */

export interface TerraformOptions {
  runner: ProcessRunner;
  /** Absolute path of the stage folder. */
  stageDir: string;
  /** Stage path (`30.eks/30.cluster`), for log names and messages. */
  stage: string;
  logDir: string;
  redactor: Redactor;
  signal?: AbortSignal | undefined;
  /** Extra environment for terraform (TF_CLI_CONFIG_FILE in tests, AWS_PROFILE, ...). */
  env?: Record<string, string | undefined> | undefined;
}

/** A `-json` progress event worth showing: the resource being refreshed, planned or applied. */
export interface TerraformProgress {
  type: string;
  address?: string | undefined;
  action?: string | undefined;
  elapsedSeconds?: number | undefined;
  message: string;
}

export interface TerraformOutputValue {
  value: unknown;
  sensitive: boolean;
  type?: unknown;
}

export interface Terraform {
  init(backendConfig?: Record<string, string>): Promise<void>;
  selectWorkspace(name: string): Promise<void>;
  /** Plans to `planFile`; true when the plan has changes (`-detailed-exitcode` 2). */
  plan(
    planFile: string,
    varFiles: readonly string[],
    onProgress?: (p: TerraformProgress) => void,
    options?: { destroy?: boolean },
  ): Promise<boolean>;
  /** `terraform show -json <planFile>` (not logged: it can carry variable values). */
  show(planFile: string): Promise<unknown>;
  /**
   * Applies a saved plan. The var files are given again because ephemeral variables (the Docker
   * Hub token) are not in the plan and Terraform requires them at apply; the others must match.
   */
  apply(
    planFile: string,
    varFiles: readonly string[],
    onProgress?: (p: TerraformProgress) => void,
  ): Promise<void>;
  /** `terraform output -json`; sensitive values are registered with the redactor and never logged. */
  output(): Promise<Record<string, TerraformOutputValue>>;
  /** The log file of one command, for error messages. */
  logFile(command: string): string;
}

const COMMON = ["-input=false", "-no-color"];

export function createTerraform(options: TerraformOptions): Terraform {
  const env = { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...options.env };
  const logFile = (command: string) =>
    join(options.logDir, `${options.stage.replaceAll("/", "_")}-${command}.log`);

  async function run(
    command: string,
    args: string[],
    opts: {
      log?: boolean;
      onProgress?: ((p: TerraformProgress) => void) | undefined;
      okCodes?: number[];
    } = {},
  ): Promise<RunResult> {
    const diagnostics: string[] = [];
    const result = await options.runner.run("terraform", args, {
      cwd: options.stageDir,
      env,
      logFile: opts.log === false ? undefined : logFile(command),
      signal: options.signal,
      onLine: (line, stream) => {
        if (stream !== "stdout" || !line.startsWith("{")) return;
        const event = parseEvent(line);
        if (!event) return;
        if (event.diagnostic) diagnostics.push(event.diagnostic);
        if (event.progress) opts.onProgress?.(event.progress);
      },
    });
    if (result.interrupted) {
      throw new InterruptedError(
        `terraform ${command} of ${options.stage} was interrupted; terraform saved its state.`,
        {
          code: "terraform-interrupted",
          details: { stage: options.stage, command, log: logFile(command) },
        },
      );
    }
    if (!(opts.okCodes ?? [0]).includes(result.exitCode)) {
      const lines = diagnostics.length > 0 ? diagnostics : errorLines(`${result.stderr}\n${result.stdout}`);
      const detail = options.redactor.redact(lines.join("\n").trim() || `exit code ${result.exitCode}`);
      throw new ExternalError(`terraform ${command} failed in stage ${options.stage}:\n${detail}`, {
        code: "terraform-failed",
        details: { stage: options.stage, command, exitCode: result.exitCode, log: logFile(command) },
      });
    }
    return result;
  }

  return {
    logFile,
    async init(backendConfig) {
      const args = ["init", ...COMMON];
      for (const [key, value] of Object.entries(backendConfig ?? {}))
        args.push(`-backend-config=${key}=${value}`);
      await run("init", args);
    },
    async selectWorkspace(name) {
      await run("workspace", ["workspace", "select", "-or-create", name]);
    },
    async plan(planFile, varFiles, onProgress, planOptions) {
      const args = ["plan", ...COMMON, "-lock=true", "-compact-warnings", "-json", "-detailed-exitcode"];
      // `aiplat destroy` plans the destruction, then applies that plan (same interrupt safety).
      if (planOptions?.destroy) args.push("-destroy");
      for (const f of varFiles) args.push(`-var-file=${f}`);
      args.push(`-out=${planFile}`);
      const result = await run("plan", args, { onProgress, okCodes: [0, 2] });
      return result.exitCode === 2;
    },
    async show(planFile) {
      const result = await run("show", ["show", "-json", "-no-color", planFile], { log: false });
      return JSON.parse(result.stdout) as unknown;
    },
    async apply(planFile, varFiles, onProgress) {
      const args = ["apply", ...COMMON, "-lock=true", "-compact-warnings", "-json"];
      for (const f of varFiles) args.push(`-var-file=${f}`);
      await run("apply", [...args, planFile], { onProgress });
    },
    async output() {
      const result = await run("output", ["output", "-json", "-no-color"], { log: false });
      const values = JSON.parse(result.stdout || "{}") as Record<string, TerraformOutputValue>;
      for (const v of Object.values(values)) if (v.sensitive) registerSecret(options.redactor, v.value);
      return values;
    },
  };
}

function registerSecret(redactor: Redactor, value: unknown): void {
  if (typeof value === "string") {
    if (value.length >= 4) redactor.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) registerSecret(redactor, v);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) registerSecret(redactor, v);
  }
}

interface ParsedEvent {
  diagnostic?: string;
  progress?: TerraformProgress;
}

const PROGRESS_TYPES = new Set([
  "apply_start",
  "apply_progress",
  "apply_complete",
  "apply_errored",
  "refresh_start",
  "provision_start",
  "planned_change",
]);

/** One line of terraform's machine-readable UI (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). */
function parseEvent(line: string): ParsedEvent | undefined {
  let event: {
    "@level"?: string;
    "@message"?: string;
    type?: string;
    diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
    hook?: { resource?: { addr?: string }; action?: string; elapsed_seconds?: number };
    change?: { resource?: { addr?: string }; action?: string };
  };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return undefined;
  }
  if (event.type === "diagnostic" && event.diagnostic?.severity === "error") {
    const d = event.diagnostic;
    const detail = (d.detail ?? "").split("\n").slice(0, 6).join("\n");
    return {
      diagnostic: [`Error: ${d.summary ?? ""}${d.address ? ` (${d.address})` : ""}`, detail]
        .join("\n")
        .trim(),
    };
  }
  if (event.type && PROGRESS_TYPES.has(event.type)) {
    const addr = event.hook?.resource?.addr ?? event.change?.resource?.addr;
    return {
      progress: {
        type: event.type,
        address: addr,
        action: event.hook?.action ?? event.change?.action,
        elapsedSeconds: event.hook?.elapsed_seconds,
        message: event["@message"] ?? "",
      },
    };
  }
  return undefined;
}

/** The lines that matter in plain terraform output: each "Error:" block, a few lines deep. */
export function errorLines(text: string): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!/^\s*(│\s*)?Error:/.test(line)) continue;
    // A diagnostic box ends at "╵"; keep at most six lines of it.
    const block: string[] = [];
    for (const l of lines.slice(i, i + 6)) {
      if (/^\s*╵/.test(l)) break;
      const text = l.replace(/^\s*│\s?/, "");
      if (text.trim() !== "") block.push(text);
    }
    out.push(...block);
  }
  return out.length > 0 ? out : lines.filter((l) => l.trim() !== "").slice(-5);
}
