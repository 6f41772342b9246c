import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { allCommandModules, commandModulesFor, commandWord } from "../../src/cli/commands/index.js";
import type { CommandModule } from "../../src/cli/program.js";
import { buildProgram } from "../../src/cli/program.js";

function programOf(modules: CommandModule[]): Command {
  return buildProgram(
    {
      version: "0.0.0",
      writeOut: () => {},
      writeErr: () => {},
      createContext: () => Promise.reject(new Error("not run")),
      onContext: () => {},
    },
    modules,
  );
}

const names = (modules: CommandModule[]) => programOf(modules).commands.map((c) => c.name());

describe("which command modules a run loads", () => {
  it("finds the command word after global options and their values", () => {
    expect(commandWord(["chat", "gemma-4b", "--prompt", "hi"])).toBe("chat");
    expect(
      commandWord(["--env", "prod", "--kubeconfig", "k", "--context", "c", "--root", "r", "status"]),
    ).toBe("status");
    expect(commandWord(["--env=prod", "--json", "-y", "models"])).toBe("models");
    expect(commandWord(["--debug", "--", "logs"])).toBe("logs");
    expect(commandWord(["--json"])).toBeUndefined();
    // Help or the version asked of the program itself, before the command: the program answers.
    expect(commandWord(["--help", "chat"])).toBeUndefined();
    expect(commandWord(["-h", "status"])).toBeUndefined();
    expect(commandWord(["--json", "-V", "chat"])).toBeUndefined();
    expect(commandWord(["chat", "--help"])).toBe("chat");
    expect(commandWord(["--env"])).toBeUndefined();
  });

  it("a command run by name loads its own module alone", async () => {
    expect(names(await commandModulesFor(["chat", "--prompt", "hi"]))).toEqual(["chat"]);
    expect(names(await commandModulesFor(["--env", "status", "status"]))).toEqual(["status"]);
    // secret and key share a module.
    expect(names(await commandModulesFor(["key"]))).toEqual(["secret", "key"]);
  });

  it("help, completion, no command and an unknown word load every command", async () => {
    const all = names(await allCommandModules());
    expect(all).toEqual([
      "doctor",
      "init",
      "up",
      "plan",
      "bootstrap",
      "kubeconfig",
      "deploy-model",
      "undeploy-model",
      "scale",
      "models",
      "status",
      "logs",
      "destroy",
      "secret",
      "key",
      "forward",
      "chat",
      "smoke",
      "open",
      "bench",
      "completion",
      "__complete",
    ]);
    for (const argv of [
      ["help", "chat"],
      ["--help", "chat"],
      ["completion", "bash"],
      ["__complete", "dep"],
      [],
      ["chta"],
      ["--help"],
    ])
      expect(names(await commandModulesFor(argv))).toEqual(all);
  });

  it("every command is found by its own name (the table and the modules agree)", async () => {
    const program = programOf(await allCommandModules());
    for (const command of program.commands) {
      if (command.name() === "completion" || command.name() === "__complete") continue;
      expect(names(await commandModulesFor([command.name()]))).toContain(command.name());
    }
  });
});
