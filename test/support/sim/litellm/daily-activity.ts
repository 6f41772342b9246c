/**
 * LiteLLM's daily activity for the stand-in: every request routed to a registered model counts
 * once, on its UTC day, under its model (litellm_params.model) and its model group (the public
 * model name), as `api_requests` with `successful_requests`/`failed_requests`.
 * `GET /user/daily/activity?start_date&end_date` answers one result per day that had requests,
 * newest last, with `breakdown.models` and `breakdown.model_groups` and the page metadata
 * (BerriAI/litellm proxy/management_endpoints/common_daily_activity.py: update_metrics,
 * update_breakdown_metrics; LiteLLM_DailyUserSpend). Simplification: counted at once, where the
 * real proxy writes its daily rows in batches from a spend-update queue (seconds later).
 */

interface Counts {
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
}

const zero = (): Counts => ({ api_requests: 0, successful_requests: 0, failed_requests: 0 });

function add(counts: Counts, ok: boolean): void {
  counts.api_requests++;
  if (ok) counts.successful_requests++;
  else counts.failed_requests++;
}

interface Day {
  metrics: Counts;
  models: Map<string, Counts>;
  groups: Map<string, Counts>;
}

export class DailyActivity {
  private readonly days = new Map<string, Day>();

  record(group: string, model: string, ok: boolean, at = new Date()): void {
    const date = at.toISOString().slice(0, 10);
    const day = this.days.get(date) ?? { metrics: zero(), models: new Map(), groups: new Map() };
    this.days.set(date, day);
    add(day.metrics, ok);
    for (const [map, key] of [
      [day.models, model],
      [day.groups, group],
    ] as const) {
      const counts = map.get(key) ?? zero();
      map.set(key, counts);
      add(counts, ok);
    }
  }

  /** The endpoint's answer for an inclusive date range (YYYY-MM-DD). */
  page(start: string, end: string): Record<string, unknown> {
    const entries = (map: Map<string, Counts>) =>
      Object.fromEntries(
        [...map].map(([k, metrics]) => [k, { metrics, metadata: {}, api_key_breakdown: {} }]),
      );
    const dates = [...this.days.keys()].filter((d) => d >= start && d <= end).sort();
    const results = dates.map((date) => {
      const day = this.days.get(date) as Day;
      return {
        date,
        metrics: day.metrics,
        breakdown: {
          models: entries(day.models),
          model_groups: entries(day.groups),
          providers: {},
          api_keys: {},
        },
      };
    });
    const total = results.reduce((n, r) => n + r.metrics.api_requests, 0);
    return {
      results,
      metadata: { total_api_requests: total, page: 1, total_pages: 1, has_more: false },
    };
  }
}
