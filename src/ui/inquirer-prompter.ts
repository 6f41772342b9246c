import type { Prompter } from "./io-host.js";

/** Real prompts on a TTY. @inquirer/prompts is loaded only when a question is actually asked. */
export function createInquirerPrompter(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Prompter {
  const context = { input: streams.input, output: streams.output, clearPromptOnDone: false };
  const load = () => import("@inquirer/prompts");
  return {
    async input(q) {
      const { input } = await load();
      return input(
        {
          message: q.message,
          default: q.default,
          validate: q.validate ? (v: string) => q.validate!(v) : undefined,
        },
        context as never,
      );
    },
    async confirm(q) {
      const { confirm } = await load();
      return confirm({ message: q.message, default: q.default }, context as never);
    },
    async select(q) {
      const { select } = await load();
      return select(
        {
          message: q.message,
          choices: q.choices.map((c) => ({ name: c.name, value: c.value, description: c.description })),
          default: q.default,
        },
        context as never,
      );
    },
    async checkbox(q) {
      const { checkbox } = await load();
      return checkbox(
        {
          message: q.message,
          choices: q.choices.map((c) => ({ name: c.name, value: c.value, checked: c.checked ?? false })),
        },
        context as never,
      );
    },
    async password(q) {
      const { password } = await load();
      return password(
        { message: q.message, mask: "*", validate: q.validate ? (v: string) => q.validate!(v) : undefined },
        context as never,
      );
    },
  };
}
