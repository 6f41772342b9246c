import type { CommandModule } from "../program.js";

type Loader = () => Promise<CommandModule[]>;

/**
 * Every registered command, in the order help lists them, by the names a user types. Register
 * only commands that work. Each module is imported only when needed: a command run by name loads
 * its own module alone (each costs start-up time, and `aiplat chat --prompt` is timed from process
 * start); help, completion and anything unrecognised load them all.
 */
const COMMANDS: ReadonlyArray<readonly [names: readonly string[], load: Loader]> = [
  [["doctor"], async () => [(await import("./doctor.js")).doctorCommand]],
  [["init"], async () => [(await import("./init.js")).initCommand]],
  [["up"], async () => [(await import("./up.js")).upCommand]],
  [["plan"], async () => [(await import("./plan.js")).planCommand]],
  [["bootstrap"], async () => [(await import("./bootstrap.js")).bootstrapCommand]],
  [["kubeconfig"], async () => [(await import("./kubeconfig.js")).kubeconfigCommand]],
  [["deploy-model"], async () => [(await import("./deploy-model.js")).deployModelCommand]],
  [["undeploy-model"], async () => [(await import("./undeploy-model.js")).undeployModelCommand]],
  [["scale"], async () => [(await import("./scale.js")).scaleCommand]],
  [["models"], async () => [(await import("./models.js")).modelsCommand]],
  [["status"], async () => [(await import("./status.js")).statusCommand]],
  [["logs"], async () => [(await import("./logs.js")).logsCommand]],
  [["destroy"], async () => [(await import("./destroy.js")).destroyCommand]],
  [
    ["secret", "key"],
    async () => {
      const { secretCommand, keyCommand } = await import("./secret.js");
      return [secretCommand, keyCommand];
    },
  ],
  [["forward"], async () => [(await import("./forward.js")).forwardCommand]],
  [["chat"], async () => [(await import("./chat.js")).chatCommand]],
  [["smoke"], async () => [(await import("./smoke.js")).smokeCommand]],
  [["open"], async () => [(await import("./open.js")).openCommand]],
  [["bench"], async () => [(await import("./bench.js")).benchCommand]],
  // Completion walks the whole program, so it is listed under no name: it always loads them all.
  [[], async () => [(await import("./completion.js")).completionCommand]],
];

/** Options before the command that take a value (`aiplat --env prod status`). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["--env", "--root", "--kubeconfig", "--context"]);

/** What the program itself answers when it comes before a command (`aiplat --help chat`). */
const PROGRAM_ANSWERS = new Set(["-h", "--help", "-V", "--version"]);

/**
 * The command word of argv: the first operand that is not a global option or its value; none when
 * help or the version is asked of the program before it (then the program's help lists them all).
 */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (PROGRAM_ANSWERS.has(word)) return undefined;
    if (word === "--") return argv[i + 1];
    if (GLOBAL_OPTIONS_WITH_VALUE.has(word)) i++;
    else if (!word.startsWith("-")) return word;
  }
  return undefined;
}

/** The command modules this argv needs: the named command's alone when it is one, else all. */
export async function commandModulesFor(argv: readonly string[]): Promise<CommandModule[]> {
  const word = commandWord(argv);
  const named = COMMANDS.find(([names]) => word !== undefined && names.includes(word));
  return (await Promise.all((named ? [named] : COMMANDS).map(([, load]) => load()))).flat();
}

/** Every command module, in help order. */
export function allCommandModules(): Promise<CommandModule[]> {
  return commandModulesFor([]);
}
