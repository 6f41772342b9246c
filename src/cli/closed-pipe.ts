import type { Writable } from "node:stream";

/**
 * `aiplat models | head -1`: once the reader has gone, a write fails with EPIPE, which Node turns
 * into an unhandled 'error' event and a stack trace. Unix tools stop quietly instead. A closed
 * stdout aborts the command (long waits stop as on Ctrl-C, and a running tool is asked to stop),
 * and nothing more is printed to it; a closed stderr is only ignored.
 * The listeners are never removed: the EPIPE of a write still in flight when main() returns
 * arrives later and must not crash the process either.
 */
export function stopQuietlyOnClosedPipe(
  stdout: Writable,
  stderr: Writable,
  abort: () => void,
): { stdoutClosed(): boolean } {
  let closed = false;
  const isClosedPipe = (error: NodeJS.ErrnoException) =>
    error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED";
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (!isClosedPipe(error)) throw error;
    if (!closed) abort();
    closed = true;
  };
  const onStderrError = (error: NodeJS.ErrnoException) => {
    if (!isClosedPipe(error)) throw error;
  };
  stdout.on("error", onStdoutError);
  stderr.on("error", onStderrError);
  return { stdoutClosed: () => closed };
}
