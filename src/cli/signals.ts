import type { Writable } from "node:stream";

/**
 * First Ctrl-C (or SIGTERM): abort the command's signal, so waits stop and a running terraform
 * gets exactly one SIGINT and is waited for. Later presses only explain what is being waited for;
 * terraform is never killed hard (that is how state gets corrupted and locks stay held).
 */
export function installSignalHandlers(
  controller: AbortController,
  host: () => { json: boolean },
  stderr: Writable,
): () => void {
  let presses = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    presses += 1;
    if (presses === 1) {
      stderr.write(
        `\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping cleanly; running tools are asked to stop and waited for.\n`,
      );
      controller.abort(new Error(signal));
      return;
    }
    if (host().json) return;
    stderr.write(
      "Still waiting for running tools (terraform saves its state and releases its lock); aiplat will not kill them.\n",
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
