import type { Writable } from "node:stream";
import type { AiplatError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";
import type { IoHost, Prompter, Style, TaskSpec } from "./io-host.js";
import { createStyle } from "./style.js";

export interface StreamIoHostOptions {
  json: boolean;
  interactive: boolean;
  debug: boolean;
  colour: boolean;
  isTTY: boolean;
  stdout: Writable;
  stderr: Writable;
  prompter: Prompter;
  redactor: Redactor;
}

/** The io host for both modes: human (stderr progress, stdout result) and --json (one document). */
export class StreamIoHost implements IoHost {
  readonly json: boolean;
  readonly interactive: boolean;
  readonly prompt: Prompter;
  readonly style: Style;
  private readonly options: StreamIoHostOptions;
  private resultData: Record<string, unknown> = {};
  private resultGiven = false;

  constructor(options: StreamIoHostOptions) {
    this.options = options;
    this.json = options.json;
    this.interactive = options.interactive;
    this.prompt = options.prompter;
    this.style = createStyle(options.colour && !options.json);
  }

  info(message: string): void {
    this.toStderr(message);
  }

  warn(message: string): void {
    this.toStderr(`${this.style.warn("!")} ${message}`);
  }

  success(message: string): void {
    this.toStderr(`${this.style.ok("✔")} ${message}`);
  }

  debug(message: string): void {
    // Debug lines go to stderr in both modes: they never corrupt the --json document on stdout.
    if (this.options.debug)
      this.options.stderr.write(`${this.style.dim(`[debug] ${this.redact(message)}`)}\n`);
  }

  async runTasks(tasks: readonly TaskSpec[]): Promise<void> {
    if (this.json) {
      // --json: progress as JSON lines on stderr (the document on stdout stays the only stdout).
      const { runJsonLineTasks } = await import("./json-progress.js");
      return runJsonLineTasks(tasks, this.options.stderr, (text) => this.redact(text));
    }
    // listr2 is loaded only by commands that show task progress, not on every start.
    const { runListrTasks } = await import("./tasks.js");
    await runListrTasks(tasks, {
      mode: this.json ? "silent" : this.options.isTTY ? "live" : "lines",
      stderr: this.options.stderr,
      redact: (text) => this.redact(text),
    });
  }

  result(data: Record<string, unknown>, human: string): void {
    this.resultGiven = true;
    if (this.json) {
      this.resultData = { ...this.resultData, ...data };
      return;
    }
    // Not redacted on purpose: a result is what the user asked for (e.g. `aiplat key`).
    if (human !== "") this.options.stdout.write(human.endsWith("\n") ? human : `${human}\n`);
  }

  get isTTY(): boolean {
    return this.options.isTTY;
  }

  write(text: string): void {
    if (!this.json) this.options.stdout.write(text);
  }

  /** main() calls this once the command returned normally. */
  finishOk(): void {
    if (this.json) this.writeJson({ ok: true, ...this.resultData });
  }

  /** main() calls this with the error that ends the command. */
  finishWithError(error: AiplatError, internal: boolean, stack?: string): void {
    const message = this.redact(error.message);
    const hint = error.hint === undefined ? undefined : this.redact(error.hint);
    if (this.json) {
      const body: Record<string, unknown> = { code: error.code, message, exitCode: error.exitCode };
      if (hint !== undefined) body.hint = hint;
      if (error.details !== undefined) body.details = this.options.redactor.redactValue(error.details);
      this.writeJson({ ok: false, ...(this.resultGiven ? this.resultData : {}), error: body });
      if (stack !== undefined) this.debug(stack);
      return;
    }
    const label = internal ? "Internal error (a bug in aiplat)" : "Error";
    this.toStderr(`${this.style.fail(`✖ ${label}:`)} ${message}`);
    if (hint !== undefined) this.toStderr(`  ${hint}`);
    if (stack !== undefined) this.toStderr(this.style.dim(stack));
  }

  private writeJson(document: Record<string, unknown>): void {
    this.options.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  private toStderr(message: string): void {
    if (this.json) return;
    this.options.stderr.write(`${this.redact(message)}\n`);
  }

  private redact(text: string): string {
    return this.options.redactor.redact(text);
  }
}
