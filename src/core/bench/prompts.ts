/**
 * Synthetic prompts of a given length in tokens. No tokenizer for the served model is available
 * offline, so lengths are approximate: about four characters of English per token, the rule of
 * thumb OpenAI documents for its BPE tokenizers (help.openai.com "What are tokens"). The bench
 * report says so next to every input-token figure. Each prompt starts with a distinct number so
 * that no two requests share a prefix a server could cache.
 */

export const TOKEN_APPROXIMATION_NOTE =
  "input lengths are approximate (≈ 4 characters per token; no tokenizer for the model offline)";

const WORDS = [
  "the",
  "platform",
  "serves",
  "models",
  "on",
  "graphics",
  "processors",
  "while",
  "engineers",
  "measure",
  "latency",
  "and",
  "throughput",
  "under",
  "steady",
  "load",
  "for",
  "every",
  "request",
];

/** About `tokens` tokens of text; `index` makes the prompt unique. */
export function syntheticPrompt(tokens: number, index: number): string {
  const targetChars = Math.max(1, Math.round(tokens * 4));
  const first = `Request ${index}.`;
  const parts = [first];
  let length = first.length;
  let i = index;
  while (length < targetChars) {
    const word = WORDS[i % WORDS.length] as string;
    parts.push(word);
    length += word.length + 1;
    i += 7;
  }
  return parts.join(" ");
}

/** The approximate token count of a text, by the same rule. */
export function approximateTokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}
