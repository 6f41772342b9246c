/**
 * A serving model for the LiteLLM stand-in: how a vLLM replica on one GPU turns load into latency,
 * so that a load test on the simulator has a knee where theory puts it. Its shape, not its numbers,
 * is what matters (simulated numbers are not GPU numbers):
 *
 * - Continuous batching (vLLM docs, "Optimization and tuning"; the Orca paper, OSDI '22): every
 *   scheduler step decodes one token for each running sequence; new requests join at a step.
 * - Decoding is memory-bandwidth bound: a step reads all weights once, so it costs
 *   weights ÷ bandwidth, plus a little per running sequence (its KV cache reads).
 * - Prefill is compute bound: about 2 × parameters FLOPs per input token, added to the step in
 *   which the request joins (chunked prefill mixes it into decode steps).
 * - The KV cache holds (input + output) tokens per running sequence; what does not fit, and what
 *   exceeds vLLM's `max_num_seqs` (default 256), waits in a FIFO queue — where the TTFT of an
 *   overloaded endpoint goes.
 * Everything is deterministic: same submissions, same timings.
 */

import { performance } from "node:perf_hooks";

export interface ServingProfile {
  card: string;
  prefillMsPerToken: number;
  decodeBaseMs: number;
  decodePerSequenceMs: number;
  kvCacheTokens: number;
  maxNumSeqs: number;
}

/** Published figures of the cards the gpu-inference pool launches (NVIDIA data sheets). */
const CARDS: Record<string, { memoryGiB: number; bandwidthGBs: number; bf16Tflops: number }> = {
  A10G: { memoryGiB: 24, bandwidthGBs: 600, bf16Tflops: 125 },
  L4: { memoryGiB: 24, bandwidthGBs: 300, bf16Tflops: 121 },
  L40S: { memoryGiB: 48, bandwidthGBs: 864, bf16Tflops: 362 },
};

export interface ModelShape {
  parametersB: number;
  layers: number;
  kvHeads: number;
  headDim: number;
}

/**
 * The profile of a bf16 model on `gpus` cards of one type: weights at 2 bytes per parameter,
 * vLLM's default gpu_memory_utilization 0.9, 50 % of peak FLOPs in prefill, KV cache of
 * 2 (K and V) × layers × kvHeads × headDim × 2 bytes per token.
 */
export function servingProfile(card: string, model: ModelShape, gpus = 1): ServingProfile {
  const spec = CARDS[card];
  if (spec === undefined) throw new Error(`no serving figures for the ${card}`);
  const weightsGB = model.parametersB * 2;
  const memoryGB = spec.memoryGiB * 1.073741824 * gpus * 0.9;
  const kvBytesPerToken = 2 * model.layers * model.kvHeads * model.headDim * 2;
  return {
    card,
    prefillMsPerToken: ((2 * model.parametersB * 1e9) / (spec.bf16Tflops * 1e12 * 0.5 * gpus)) * 1000,
    decodeBaseMs: (weightsGB / (spec.bandwidthGBs * gpus)) * 1000,
    decodePerSequenceMs: 0.2,
    kvCacheTokens: Math.max(0, Math.floor(((memoryGB - weightsGB) * 1e9) / kvBytesPerToken)),
    maxNumSeqs: 256,
  };
}

/** The highest request rate the profile sustains for one request shape (requests/s): full batch. */
export function saturationRate(profile: ServingProfile, inputTokens: number, outputTokens: number): number {
  const batch = Math.min(
    profile.maxNumSeqs,
    Math.floor(profile.kvCacheTokens / (inputTokens + outputTokens)),
  );
  if (batch < 1) return 0;
  // In steady state a full batch finishes `batch` requests every `outputTokens` steps, and the
  // prefill of the `batch` requests that replace them is spread over those steps.
  const stepMs = profile.decodeBaseMs + profile.decodePerSequenceMs * batch;
  const cycleMs = outputTokens * stepMs + batch * inputTokens * profile.prefillMsPerToken;
  return (batch / cycleMs) * 1000;
}

interface Sequence {
  inputTokens: number;
  outputTokens: number;
  emitted: number;
  onToken: (index: number) => void;
  onDone: (error?: string) => void;
  cancelled: boolean;
}

export interface ServingEngine {
  /** Queues a request; returns a function that cancels it (client went away). */
  submit(
    request: { inputTokens: number; outputTokens: number },
    onToken: (index: number) => void,
    onDone: (error?: string) => void,
  ): () => void;
  /** Running and queued sequences now. */
  load(): { running: number; queued: number };
  stop(): void;
}

/** `speedup` divides every duration (tests run the same shape faster). */
export function createServingEngine(profile: ServingProfile, speedup = 1): ServingEngine {
  const queue: Sequence[] = [];
  const running: Sequence[] = [];
  let kvUsed = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const footprint = (s: Sequence) => s.inputTokens + s.outputTokens;

  function admit(): number {
    let prefillTokens = 0;
    while (queue.length > 0 && running.length < profile.maxNumSeqs) {
      const next = queue[0] as Sequence;
      if (kvUsed + footprint(next) > profile.kvCacheTokens) break;
      queue.shift();
      if (next.cancelled) continue;
      running.push(next);
      kvUsed += footprint(next);
      prefillTokens += next.inputTokens;
    }
    return prefillTokens;
  }

  // Steps run on a timeline of their own: each starts when the previous one was due to end, not
  // when its timer happened to fire, so a busy event loop delays tokens but never slows the model.
  let stepStart = 0;

  function step(): void {
    timer = undefined;
    if (stopped) return;
    const prefillTokens = admit();
    if (running.length === 0) return;
    const durationMs =
      profile.decodeBaseMs +
      profile.decodePerSequenceMs * running.length +
      profile.prefillMsPerToken * prefillTokens;
    const due = stepStart + durationMs / speedup;
    timer = setTimeout(
      () => {
        stepStart = due;
        for (const s of [...running]) {
          if (!s.cancelled) s.onToken(s.emitted);
          s.emitted += 1;
          if (s.cancelled || s.emitted >= s.outputTokens) {
            running.splice(running.indexOf(s), 1);
            kvUsed -= footprint(s);
            if (!s.cancelled) s.onDone();
          }
        }
        step();
      },
      Math.max(0, due - performance.now()),
    );
  }

  return {
    submit(request, onToken, onDone) {
      const s: Sequence = { ...request, emitted: 0, onToken, onDone, cancelled: false };
      if (footprint(s) > profile.kvCacheTokens) {
        // vLLM refuses a prompt longer than the KV cache can ever hold.
        queueMicrotask(() =>
          onDone(`the request needs ${footprint(s)} tokens of KV cache; ${profile.kvCacheTokens} fit`),
        );
        return () => {};
      }
      queue.push(s);
      if (timer === undefined) {
        stepStart = performance.now();
        step();
      }
      return () => {
        s.cancelled = true;
      };
    },
    load: () => ({ running: running.length, queued: queue.filter((s) => !s.cancelled).length }),
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
