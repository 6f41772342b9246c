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
  // The live tree needs the terminal's size to lay itself out (listr2 cuts each frame to the
  // rows): a terminal that reports no width or no height (or a stream that only claims to be a
  // TTY) gets one line per change instead of garbled or empty frames.
  const sized = (stream.columns ?? 0) > 0 && (stream.rows ?? 0) > 0;
  const mode = options.mode === "live" && !sized ? "lines" : options.mode;
  const renderer = mode === "live" ? "default" : mode === "lines" ? "simple" : "silent";
  // Both streams of the renderer's logger are our stderr: stdout is kept for results.
  const logger = new ListrLogger({
    processOutput: new ProcessOutput(stream, stream, { dump: [] }),
    useIcons: true,
  });
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
      // aiplat already chose the renderer from stderr's TTY-ness; listr2's own fallback test looks
      // at process.stdout, which is wrong when stdout is piped (`aiplat up | tee`).
      fallbackRendererCondition: false,
      silentRendererCondition: false,
      rendererOptions: { logger, collapseErrors: false, showErrorMessage: true },
      fallbackRendererOptions: { logger },
    } as never,
  );
  await list.run();
}
