import type { Writable } from "node:stream";
import type { TaskSpec } from "./io-host.js";

/**
 * Task progress under --json: stdout is kept for the one JSON document, so progress goes to
 * stderr as JSON lines a script can follow (`--wait --json 2> >(jq …)`), one per state change:
 *   {"event":"task","task":"<title>","status":"running"|"done"|"skipped"|"failed", …}
 *   {"event":"output","task":"<title>","message":"<detail line>"}
 * Tasks run one after another and the first failure ends the list, as in human mode. Every text
 * passes the redactor; a detail line repeated verbatim is written once.
 */
export async function runJsonLineTasks(
  tasks: readonly TaskSpec[],
  stderr: Writable,
  redact: (text: string) => string,
): Promise<void> {
  const emit = (event: Record<string, unknown>) => stderr.write(`${JSON.stringify(event)}\n`);
  for (const spec of tasks) {
    let title = redact(spec.title);
    let lastOutput: string | undefined;
    let skipped: string | undefined;
    emit({ event: "task", task: title, status: "running" });
    try {
      await spec.run({
        setTitle: (next) => {
          title = redact(next);
        },
        output: (line) => {
          const message = redact(line);
          if (message === lastOutput) return;
          lastOutput = message;
          emit({ event: "output", task: title, message });
        },
        skip: (reason) => {
          skipped = redact(reason);
        },
      });
    } catch (error) {
      emit({ event: "task", task: title, status: "failed", message: redact((error as Error).message ?? "") });
      throw error;
    }
    emit(
      skipped === undefined
        ? { event: "task", task: title, status: "done" }
        : { event: "task", task: title, status: "skipped", message: skipped },
    );
  }
}
