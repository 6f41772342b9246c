import type { Writable } from "node:stream";
import { Listr, ListrLogger, ProcessOutput } from "listr2";
import type { TaskSpec } from "./io-host.js";

export interface TaskRenderOptions {
  /** live: redrawn tree on a TTY; lines: one line per state change (CI, pipes); silent: --json. */
  mode: "live" | "lines" | "silent";
  stderr: Writable;
  redact: (text: string) => string;
}

/** listr2 behind the io host: progress always on stderr, titles and detail lines redacted. */
export async function runListrTasks(tasks: readonly TaskSpec[], options: TaskRenderOptions): Promise<void> {
  const stream = options.stderr as NodeJS.WriteStream;
  const renderer = options.mode === "live" ? "default" : options.mode === "lines" ? "simple" : "silent";
  const list = new Listr(
    tasks.map((spec) => ({
      title: options.redact(spec.title),
      task: async (_ctx: unknown, task: { title: string; output: string; skip: (m: string) => void }) => {
        await spec.run({
          setTitle: (title) => {
            task.title = options.redact(title);
          },
          output: (line) => {
            task.output = options.redact(line);
          },
          skip: (reason) => task.skip(options.redact(reason)),
        });
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      registerSignalListeners: false, // SIGINT belongs to aiplat: terraform must be waited for
      renderer,
      fallbackRenderer: "simple",
      rendererOptions: {
        // Both streams of the renderer's logger are our stderr: stdout is kept for results.
        logger: new ListrLogger({
          processOutput: new ProcessOutput(stream, stream, { dump: [] }),
          useIcons: true,
        }),
        collapseErrors: false,
        showErrorMessage: true,
      },
    } as never,
  );
  await list.run();
}
