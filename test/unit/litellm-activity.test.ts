import { describe, expect, it } from "vitest";
import { type DailyActivityPage, readRequestsServed } from "../../src/adapters/llm/litellm-activity.js";

const day = (groups: Record<string, number>) => ({
  breakdown: {
    model_groups: Object.fromEntries(
      Object.entries(groups).map(([k, n]) => [k, { metrics: { api_requests: n } }]),
    ),
  },
});

describe("requests served, from LiteLLM's daily activity", () => {
  it("adds each model group's api_requests over the days asked for", async () => {
    const asked: string[] = [];
    const page: DailyActivityPage = { results: [day({ a: 2, b: 1 }), day({ a: 3 })] };
    const served = await readRequestsServed(
      async (path) => {
        asked.push(path);
        return page;
      },
      "2026-11-04",
      "2026-12-03",
    );
    expect(asked).toEqual(["/user/daily/activity?start_date=2026-11-04&end_date=2026-12-03&page_size=100"]);
    expect(served).toEqual(
      new Map([
        ["a", 5],
        ["b", 1],
      ]),
    );
    expect(await readRequestsServed(async () => ({ results: [] }), "x", "y")).toEqual(new Map());
  });

  it("reports nothing when this LiteLLM has no per-model-group breakdown", async () => {
    const older: DailyActivityPage = { results: [{ breakdown: {} }] };
    expect(await readRequestsServed(async () => older, "x", "y")).toBeUndefined();
    expect(await readRequestsServed(async () => ({}) as DailyActivityPage, "x", "y")).toBeUndefined();
  });

  it("skips a day without a breakdown and a model group without a request count", async () => {
    const page: DailyActivityPage = {
      results: [
        {},
        day({ a: 2 }),
        { breakdown: { model_groups: { a: {}, b: { metrics: {} }, c: { metrics: { api_requests: 4 } } } } },
      ],
    };
    const served = await readRequestsServed(async () => page, "2026-12-01", "2026-12-03");
    expect(served).toEqual(
      new Map([
        ["a", 2],
        ["c", 4],
      ]),
    );
  });
});
