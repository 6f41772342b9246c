import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { ExternalError, PrerequisiteError } from "../core/errors.js";
import type { Redactor } from "../core/redact.js";

export interface RunOptions {
  cwd?: string | undefined;
  /** Added to (not replacing) the parent's environment. Secrets go here, never into args. */
  env?: Record<string, string | undefined> | undefined;
  /** Written to the child's stdin, then closed (e.g. a token for `kubectl create secret --from-file=-`). */
  input?: string | undefined;
  /** Every output line is appended here, redacted. */
  logFile?: string | undefined;
  /** Called for each complete output line as it arrives (unredacted: parse, don't print). */
  onLine?: ((line: string, stream: "stdout" | "stderr") => void) | undefined;
  /**
   * Aborting asks the child to stop with exactly one SIGINT and then waits for it to exit on its
   * own. A second interrupt would make terraform abandon its state, so none is ever sent, and the
   * child is never killed hard.
   */
  signal?: AbortSignal | undefined;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The child was asked to stop through `signal`. */
  interrupted: boolean;
}

export interface ProcessRunner {
  /** Runs a program directly (never through a shell). A non-zero exit is a result, not an exception. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/**
 * `baseEnv` is the environment every child starts from (the CLI's own, or a test's): children see
 * exactly it plus the per-call `env`, so tests control PATH and nothing leaks in from elsewhere.
 */
export function createProcessRunner(
  redactor: Redactor,
  baseEnv: Readonly<Record<string, string | undefined>> = process.env,
): ProcessRunner {
  return {
    async run(file, args, options = {}) {
      const log = options.logFile ? openLog(options.logFile) : undefined;
      log?.write(`$ ${redactor.redact([file, ...args].join(" "))}\n`);
      // node:child_process directly: execa brought ~140 modules to every command that runs git.
      const child = spawn(file, [...args], {
        cwd: options.cwd,
        env: { ...baseEnv, ...options.env },
        stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        shell: false,
        // Own process group: the terminal's Ctrl-C reaches aiplat only, and aiplat forwards exactly one.
        detached: true,
      });
      let interrupted = false;
      const onAbort = () => {
        if (interrupted) return;
        interrupted = true;
        child.kill("SIGINT");
      };
      if (options.signal?.aborted) onAbort();
      options.signal?.addEventListener("abort", onAbort);
      // A child that exits without reading its input closes the pipe: not our error to report.
      child.stdin?.on("error", () => {});
      child.stdin?.end(options.input);
      const stdout = collect(child.stdout);
      const stderr = collect(child.stderr);
      pipeLines(child.stdout, "stdout", options.onLine, log, redactor);
      pipeLines(child.stderr, "stderr", options.onLine, log, redactor);
      try {
        // "close", not "exit": every byte of both streams has been read by then.
        const exitCode = await new Promise<number | null>((resolve, reject) => {
          child.once("error", reject);
          child.once("close", (code) => resolve(code));
        }).catch((cause: NodeJS.ErrnoException) => {
          if (cause.code === "ENOENT") {
            throw new PrerequisiteError(`${file} was not found on PATH.`, {
              code: "missing-binary",
              hint: `Install ${file} and run the command again (aiplat doctor checks every prerequisite).`,
              cause,
            });
          }
          throw new ExternalError(`Could not run ${file}: ${cause.message}`, { cause });
        });
        log?.write(`# exit ${exitCode ?? "signal"}\n`);
        return {
          // Ended by a signal (exit code null): reported as an interrupted command conventionally is.
          exitCode: exitCode ?? 130,
          stdout: stdout(),
          stderr: stderr(),
          interrupted,
        };
      } finally {
        options.signal?.removeEventListener("abort", onAbort);
        await closeLog(log);
      }
    },
  };
}

/** Everything a stream produces, decoded once at the end (a character may span two chunks). */
function collect(stream: Readable | null): () => string {
  const chunks: Buffer[] = [];
  stream?.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

function openLog(path: string): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  return createWriteStream(path, { flags: "a", mode: 0o600 });
}

function closeLog(log: WriteStream | undefined): Promise<void> {
  return new Promise((resolve) => (log ? log.end(resolve) : resolve()));
}

function pipeLines(
  stream: NodeJS.ReadableStream | null,
  name: "stdout" | "stderr",
  onLine: RunOptions["onLine"],
  log: WriteStream | undefined,
  redactor: Redactor,
): void {
  if (!stream || (!onLine && !log)) return;
  let pending = "";
  const emit = (line: string) => {
    log?.write(`${redactor.redact(line)}\n`);
    onLine?.(line, name);
  };
  stream.on("data", (chunk: Buffer | string) => {
    pending += chunk.toString();
    let index = pending.indexOf("\n");
    while (index >= 0) {
      emit(pending.slice(0, index).replace(/\r$/, ""));
      pending = pending.slice(index + 1);
      index = pending.indexOf("\n");
    }
  });
  stream.on("end", () => {
    if (pending !== "") emit(pending);
    pending = "";
  });
}
