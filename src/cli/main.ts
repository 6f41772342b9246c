import { stopQuietlyOnClosedPipe } from "./closed-pipe.js";
import { commandModulesFor } from "./commands/index.js";
import type { MainDeps } from "./context.js";
import { buildProgram } from "./program.js";
import { installSignalHandlers } from "./signals.js";
import { readPackageVersion } from "./version.js";

type Runtime = typeof import("./runtime.js");
type Host = ReturnType<Runtime["createHost"]>;

/**
 * The CLI as a function: parse argv, run the command, and turn whatever happened into an exit
 * code. This is the only place errors become exit codes and the only place they are printed.
 * Adapters and the io host are loaded only once a command runs (or fails), so `--help` and
 * `--version` load commander and little else.
 */
export async function main(argv: readonly string[], deps: MainDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const controller = new AbortController();
  deps.signal?.addEventListener("abort", () => controller.abort(deps.signal?.reason), { once: true });
  // Until a command builds its own host, errors are rendered with the flags sniffed from argv.
  const sniffed = {
    json: argv.includes("--json"),
    yes: argv.includes("--yes"),
    debug: argv.includes("--debug"),
  };
  let runtime: Runtime | undefined;
  let resolved: ReturnType<Runtime["resolveDeps"]> | undefined;
  let host: Host | undefined;
  const loadRuntime = async () => {
    runtime ??= await import("./runtime.js");
    resolved ??= runtime.resolveDeps(deps);
    return { runtime, resolved };
  };
  const version = readPackageVersion();
  const pipe = stopQuietlyOnClosedPipe(stdout, stderr, () => controller.abort(new Error("stdout closed")));
  const removeSignalHandlers = deps.handleSignals
    ? installSignalHandlers(controller, () => ({ json: host?.json ?? sniffed.json }), stderr)
    : () => {};

  let printed = "";
  const program = buildProgram(
    {
      version,
      writeOut: (text) => {
        printed += text;
        stdout.write(text);
      },
      writeErr: (text) => {
        if (!sniffed.json) stderr.write(text);
      },
      createContext: async (globals) => {
        const loaded = await loadRuntime();
        host = loaded.runtime.createHost(loaded.resolved, globals);
        return loaded.runtime.createContext(loaded.resolved, globals, host, controller.signal, version);
      },
      onContext: () => {},
    },
    await commandModulesFor(argv),
  );

  try {
    if (argv.length === 0) {
      stderr.write(program.helpInformation());
      return 2;
    }
    await program.parseAsync([...argv], { from: "user" });
    host?.finishOk();
    return 0;
  } catch (raw) {
    // --help and --version end with a commander "exit" that is a success; everything else is an
    // error, normalised by a module loaded only now (so --help loads nothing it does not need).
    const code = (raw as { code?: string } | undefined)?.code;
    if (code === "commander.helpDisplayed" || code === "commander.version") {
      deps.keepHelpText?.(printed);
      return 0;
    }
    const { normalizeError } = await import("./normalize-error.js");
    // The reader of stdout went away (`| head`): stop as quietly as a Unix tool would.
    if (pipe.stdoutClosed()) return normalizeError(raw, true).error.exitCode;
    const { error, internal } = normalizeError(raw, controller.signal.aborted, { program, argv });
    if (host === undefined) {
      const loaded = await loadRuntime();
      host = loaded.runtime.createHost(loaded.resolved, sniffed);
    }
    const stack = sniffed.debug && raw instanceof Error ? raw.stack : undefined;
    host.finishWithError(error, internal, stack);
    return error.exitCode;
  } finally {
    removeSignalHandlers();
  }
}
