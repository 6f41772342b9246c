/**
 * Requests served per model, from LiteLLM's daily activity: `GET /user/daily/activity` (proxy admin
 * key: every user's spend) answers one result per day whose `breakdown.model_groups` — the public
 * model name, which is the endpoint's name in aiplat — carries `metrics.api_requests`
 * (BerriAI/litellm proxy/management_endpoints/common_daily_activity.py, update_breakdown_metrics;
 * docs.litellm.ai "Spend tracking", daily activity). LiteLLM fills it from its database, so
 * without one, or in a version without that breakdown, there is nothing to report.
 */

interface Metrics {
  api_requests?: number;
}

export interface DailyActivityPage {
  results?: { breakdown?: { model_groups?: Record<string, { metrics?: Metrics }> } }[];
  metadata?: { has_more?: boolean; total_pages?: number };
}

/** Pages are days; 100 per page covers any window status asks for in one request. */
const PAGE_SIZE = 100;

export async function readRequestsServed(
  get: (path: string) => Promise<DailyActivityPage>,
  since: string,
  until: string,
): Promise<Map<string, number> | undefined> {
  const query = new URLSearchParams({ start_date: since, end_date: until, page_size: String(PAGE_SIZE) });
  const page = await get(`/user/daily/activity?${query}`);
  if (!Array.isArray(page.results)) return undefined;
  const served = new Map<string, number>();
  let reported = page.results.length === 0;
  for (const day of page.results) {
    const groups = day.breakdown?.model_groups;
    if (!groups) continue;
    reported = true;
    for (const [name, entry] of Object.entries(groups)) {
      const n = entry.metrics?.api_requests;
      if (typeof n === "number") served.set(name, (served.get(name) ?? 0) + n);
    }
  }
  return reported ? served : undefined;
}
