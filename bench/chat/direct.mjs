// The baseline of bench/chat/run.ts: the streamed completion `aiplat chat <model> --prompt` makes
// (the same module, as the first request of the process, as chat's is), sent straight to LiteLLM
// instead of through the forward.
// Usage: LITELLM_KEY=… node bench/chat/direct.mjs <litellm url> <model> <prompt>  (the key stays
// out of the process arguments). Prints {"timeToFirstTokenMs": n} on stdout.
import { streamChat } from "../../dist/adapters/llm/chat-stream.js";
import { systemClock } from "../../dist/core/clock.js";

const [baseUrl, model, prompt] = process.argv.slice(2);
const apiKey = process.env.LITELLM_KEY ?? "";
const result = await streamChat({
  baseUrl,
  apiKey,
  clock: systemClock,
  model,
  messages: [{ role: "user", content: prompt }],
});
process.stdout.write(`${JSON.stringify({ timeToFirstTokenMs: result.timeToFirstTokenMs })}\n`);
