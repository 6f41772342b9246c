/**
 * The interactive `aiplat chat` on a real pseudo-terminal: bin/aiplat.js (the built dist/) typed at
 * like a user would, against the simulated platform. Ctrl-C during an answer (a slowed stream)
 * stops that answer only, and the session goes on.
 */
import { describe, expect, it } from "vitest";
import { ENTER, hasScript, runInPty } from "../fixtures/init/pty.js";
import { makeTempDir } from "../support/temp.js";
import { skipNote } from "../support/tools.js";
import { startPlatform } from "./chat-harness.js";

const CTRL_C = "\x03";

describe.skipIf(!hasScript())(`aiplat chat on a pseudo-terminal${skipNote("script", hasScript())}`, () => {
  it("streams answers, keeps the conversation, and Ctrl-C stops an answer but not the session", async () => {
    const { sim } = await startPlatform(["gemma"]);
    sim.litellm.slow(150); // between chunks: an answer takes about two seconds, time to interrupt it
    const home = makeTempDir();
    const run = await runInPty(["chat", "--kubeconfig", sim.kubeconfigPath], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, TERM: "xterm", NO_COLOR: "1" },
      steps: [
        { waitFor: "Chatting with gemma", keys: "" },
        { waitFor: "you> ", keys: `What is up${ENTER}` },
        { waitFor: "You said: What is up", keys: "" },
        { waitFor: "tokens/s", keys: "" },
        { waitFor: "you> ", keys: `/system Be terse${ENTER}` },
        { waitFor: "System prompt set.", keys: "" },
        { waitFor: "you> ", keys: `one two three four five six seven eight${ENTER}` },
        { waitFor: "Hello from", keys: CTRL_C },
        { waitFor: "(stopped)", keys: "" },
        { waitFor: "you> ", keys: `/exit${ENTER}` },
      ],
    });
    expect(run.stuckAt, run.screen).toBeUndefined();
    expect(run.exitCode, run.screen).toBe(0);
    expect(run.screen).not.toContain("You said: one two three four five six seven eight");
    expect(run.screen).not.toContain(sim.litellm.masterKey);
    const chats = sim.litellm.chats();
    expect(chats).toHaveLength(2);
    expect(chats[1]?.messages).toEqual([
      { role: "system", content: "Be terse" },
      { role: "user", content: "What is up" },
      { role: "assistant", content: "Hello from gemma. You said: What is up" },
      { role: "user", content: "one two three four five six seven eight" },
    ]);
  }, 120_000);
});
