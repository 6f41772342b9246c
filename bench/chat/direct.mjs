// The baseline of bench/chat/run.ts: the streamed completion `aiplat chat --prompt` makes (the same
// module, after the same GET /v1/models), sent straight to LiteLLM instead of through the forward.
// Usage: LITELLM_KEY=… node bench/chat/direct.mjs <litellm url> <model> <prompt>  (the key stays
// out of the process arguments). Prints {"timeToFirstTokenMs": n} on stdout.
import { streamChat } from "../../dist/adapters/llm/chat-stream.js";
import { systemClock } from "../../dist/core/clock.js";

const [baseUrl, model, prompt] = process.argv.slice(2);
const apiKey = process.env.LITELLM_KEY ?? "";
const models = await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
await models.text();
const result = await streamChat({
  baseUrl,
  apiKey,
  clock: systemClock,
  model,
  messages: [{ role: "user", content: prompt }],
});
process.stdout.write(`${JSON.stringify({ timeToFirstTokenMs: result.timeToFirstTokenMs })}\n`);
