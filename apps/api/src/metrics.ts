/**
 * Prometheus metrics in the text exposition format, without a client library: a handful of counters,
 * gauges and one histogram are all this process needs. Counters live in the process (each API and
 * runner process is its own scrape target); database-wide totals are read at scrape time.
 */
import type { StoredEvent } from '@sitewright/engine';

type Labels = Record<string, string>;

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

/** Step latencies: buckets from 5 ms (a tool-only step) to 2 min (a long model call). */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

class Histogram {
  private readonly counts = STEP_BUCKETS.map(() => 0);
  private count = 0;
  private sum = 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    STEP_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.counts[index] = (this.counts[index] ?? 0) + 1;
    });
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...STEP_BUCKETS.map((bound, index) => `${this.name}_bucket{le="${bound}"} ${this.counts[index]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

function gauge(name: string, help: string, samples: Array<[Labels, number]>): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => `${name}${labelText(labels)} ${value}`),
  ];
}

/** Database-wide figures read at scrape time (the same for every process). */
export interface MetricsSnapshot {
  projectsByStatus: Array<{ status: string; count: number }>;
  llmCalls: Array<{ provider: string; model: string; status: string; count: number }>;
  spendUsd: Array<{ provider: string; model: string; usd: number }>;
  wsClients: number;
  activeRuns: number;
}

export interface Metrics {
  /** The engine's `onEvents`: counts runs started and events written. */
  countEvents(events: StoredEvent[]): void;
  observeStep(step: { durationMs: number; status: string }): void;
  countTakeover(): void;
  countHttp(status: number): void;
  /** Where the WebSocket client count comes from (the hub, once it is attached). */
  trackWsClients(read: () => number): void;
  wsClients(): number;
  render(snapshot: MetricsSnapshot): string;
}

export function createMetrics(): Metrics {
  const runs = new Counter('sitewright_runs_started_total', 'Runs that went (back) to running.');
  const events = new Counter('sitewright_events_total', 'Events committed by this process, by type.');
  const steps = new Counter(
    'sitewright_steps_total',
    'Agent steps driven by this process, by the run status after them.',
  );
  const stepSeconds = new Histogram('sitewright_step_duration_seconds', 'How long one agent step took.');
  const takeovers = new Counter(
    'sitewright_lease_takeovers_total',
    'Projects this process took over from a runner that died holding the lease.',
  );
  const http = new Counter('sitewright_http_responses_total', 'HTTP responses by status class.');
  let readWsClients = () => 0;
  return {
    trackWsClients(read) {
      readWsClients = read;
    },
    wsClients: () => readWsClients(),
    countEvents(batch) {
      for (const event of batch) {
        events.inc({ type: event.type });
        if (
          event.type === 'run_status_changed' &&
          (event.payload as { status?: string }).status === 'running'
        ) {
          runs.inc();
        }
      }
    },
    observeStep({ durationMs, status }) {
      steps.inc({ status });
      stepSeconds.observe(durationMs / 1000);
    },
    countTakeover: () => takeovers.inc(),
    countHttp: (status) => http.inc({ class: `${Math.floor(status / 100)}xx` }),
    render(snapshot) {
      return [
        ...runs.render(),
        ...steps.render(),
        ...stepSeconds.render(),
        ...takeovers.render(),
        ...events.render(),
        ...http.render(),
        ...gauge('sitewright_websocket_clients', 'WebSocket clients connected to this process.', [
          [{}, snapshot.wsClients],
        ]),
        ...gauge('sitewright_active_runs', 'Projects this process is driving right now.', [
          [{}, snapshot.activeRuns],
        ]),
        ...gauge(
          'sitewright_projects',
          'Projects by run status (database-wide).',
          snapshot.projectsByStatus.map(({ status, count }) => [{ status }, count]),
        ),
        ...gauge(
          'sitewright_llm_calls',
          'Model call attempts by provider, model and outcome (database-wide).',
          snapshot.llmCalls.map(({ provider, model, status, count }) => [{ provider, model, status }, count]),
        ),
        ...gauge(
          'sitewright_llm_cost_usd',
          'Settled model spend in US dollars by provider and model (database-wide).',
          snapshot.spendUsd.map(({ provider, model, usd }) => [{ provider, model }, usd]),
        ),
        '',
      ].join('\n');
    },
  };
}
