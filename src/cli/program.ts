import { Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext, GlobalOptions } from "./context.js";

/** Turns a command handler into a commander action that first builds the command's context. */
export type ActionFactory = <O extends object>(
  handler: (ctx: CommandContext, options: O, args: string[]) => Promise<void>,
) => (...commanderArgs: unknown[]) => Promise<void>;

export interface CommandModule {
  register(program: Command, action: ActionFactory): void;
}

export interface ProgramRuntime {
  version: string;
  writeOut(text: string): void;
  writeErr(text: string): void;
  createContext(globals: GlobalOptions): Promise<CommandContext>;
  /** Called with the context once created, so main() can finish its io host. */
  onContext(ctx: CommandContext): void;
}

/** Parses a positive integer option, with a message that names the option. */
export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new InvalidArgumentError(`${flag} must be a whole number of 1 or more.`);
    }
    return Number(value);
  };
}

export function buildProgram(runtime: ProgramRuntime, modules: readonly CommandModule[]): Command {
  const program = new Command("aiplat")
    .description(
      "Run a self-service AI inference platform on Amazon EKS: bring-up, models, access, teardown.",
    )
    .version(runtime.version, "-V, --version", "print the aiplat version")
    .addOption(
      new Option(
        "--env <name>",
        "environment (else AIPLAT_ENV, else the one `aiplat init` recorded, else dev)",
      ),
    )
    .option("--json", "print one JSON document on stdout; never prompt", false)
    .option("-y, --yes", "accept defaults and never prompt", false)
    .option("--debug", "print debug details (secrets redacted) and stack traces on stderr", false)
    .option("--root <dir>", "the platform repository (default: found from the working directory)")
    .option("--kubeconfig <file>", "use this kubeconfig instead of reaching the EKS cluster directly")
    .option("--context <name>", "kubeconfig context to use")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .showHelpAfterError(false)
    // Subcommand help lists --json, --env, --kubeconfig… too; subcommands inherit this setting.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.writeOut(text),
      writeErr: (text) => runtime.writeErr(text),
      // main() renders errors itself (one JSON document in --json mode).
      outputError: () => {},
    })
    .addHelpText(
      "after",
      "\nStart with `aiplat init`, then `aiplat up`. Exit codes: 0 ok, 1 bug, 2 bad input, 3 bad configuration,\n4 missing prerequisite, 5 a tool or API failed, 130 interrupted.",
    );

  const action: ActionFactory = (handler) => {
    return async (...commanderArgs: unknown[]) => {
      const command = commanderArgs[commanderArgs.length - 1] as Command;
      const options = command.opts();
      const globals = command.optsWithGlobals() as GlobalOptions;
      // A variadic last argument (`forward <target...>`, [words...]) takes every remaining operand.
      const variadic = command.registeredArguments.at(-1)?.variadic === true;
      const args = variadic ? [...command.args] : command.args.slice(0, command.registeredArguments.length);
      const ctx = await runtime.createContext(globals);
      runtime.onContext(ctx);
      await handler(ctx, options as never, args);
    };
  };

  for (const module of modules) module.register(program, action);
  // Subcommands inherit exitOverride and output settings only when configured per command.
  for (const sub of program.commands) {
    sub
      .exitOverride()
      .showSuggestionAfterError(true)
      .configureOutput({
        writeOut: (text) => runtime.writeOut(text),
        writeErr: (text) => runtime.writeErr(text),
        outputError: () => {},
      });
  }
  return program;
}
