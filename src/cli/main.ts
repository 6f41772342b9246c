import { commandModules } from "./commands/index.js";
import type { MainDeps } from "./context.js";
import { isCommanderSuccess, normalizeError } from "./normalize-error.js";
import { buildProgram } from "./program.js";
import { createContext, createHost, readPackageVersion, resolveDeps } from "./runtime.js";
import { installSignalHandlers } from "./signals.js";

/**
 * The CLI as a function: parse argv, run the command, and turn whatever happened into an exit
 * code. This is the only place errors become exit codes and the only place they are printed.
 */
export async function main(argv: readonly string[], deps: MainDeps = {}): Promise<number> {
  const resolved = resolveDeps(deps);
  const controller = new AbortController();
  deps.signal?.addEventListener("abort", () => controller.abort(deps.signal?.reason), { once: true });
  // Until a command builds its own host, errors are rendered with the flags sniffed from argv.
  const sniffed = {
    json: argv.includes("--json"),
    yes: argv.includes("--yes"),
    debug: argv.includes("--debug"),
  };
  let host = createHost(resolved, sniffed);
  const version = readPackageVersion();
  const removeSignalHandlers = deps.handleSignals
    ? installSignalHandlers(controller, () => host, resolved.stderr)
    : () => {};

  const program = buildProgram(
    {
      version,
      writeOut: (text) => resolved.stdout.write(text),
      writeErr: (text) => {
        if (!sniffed.json) resolved.stderr.write(text);
      },
      createContext: async (globals) => {
        host = createHost(resolved, globals);
        return createContext(resolved, globals, host, controller.signal, version);
      },
      onContext: () => {},
    },
    commandModules,
  );

  try {
    if (argv.length === 0) {
      resolved.stderr.write(program.helpInformation());
      return 2;
    }
    await program.parseAsync([...argv], { from: "user" });
    host.finishOk();
    return 0;
  } catch (raw) {
    if (isCommanderSuccess(raw)) return 0;
    const { error, internal } = normalizeError(raw, controller.signal.aborted);
    const wantStack = internal || sniffed.debug;
    const stack = wantStack && sniffed.debug && raw instanceof Error ? raw.stack : undefined;
    host.finishWithError(error, internal, stack);
    return error.exitCode;
  } finally {
    removeSignalHandlers();
  }
}
