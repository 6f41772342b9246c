// A child process for bench/load-generator/run.ts: the instant OpenAI stand-in (one token per
// answer, no delay), so the client and the server each get a core. Prints its URL on stdout.
import { startServingServer } from "../../test/support/bench/serving-server.js";

const server = await startServingServer("instant");
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
