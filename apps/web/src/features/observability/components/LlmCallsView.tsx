import type { LlmCall } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog, ErrorNotice, formatUsd, Loading, timeAgo } from '../../../lib/ui.tsx';
import type { ProjectStream } from '../../project/stream.ts';
import { MODEL_CALL_EVENTS, newestSeqOf } from '../event-words.ts';
import { LLM_CALLS_SHOWN, llmCallsQueryOptions } from '../queries.ts';
import { useLiveChange } from '../use-live-change.ts';

const count = new Intl.NumberFormat();

function callCost(call: LlmCall): string {
  return call.costUsd === null ? 'unknown price' : formatUsd(call.costUsd);
}

function latency(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Readable text for the operator: stored JSON, indented. */
function pretty(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** The newest model calls, each openable to read exactly what was sent and what came back. */
export function LlmCallsView({ projectId, stream }: { projectId: string; stream: ProjectStream }) {
  const calls = useQuery(llmCallsQueryOptions(projectId));
  const [open, setOpen] = useState<LlmCall | null>(null);
  useLiveChange(newestSeqOf(stream.events, MODEL_CALL_EVENTS), stream.live, calls.refetch);

  if (calls.isPending) return <Loading label="Loading model calls…" />;
  if (calls.error) return <ErrorNotice error={calls.error} onRetry={() => void calls.refetch()} />;
  if (calls.data.length === 0) {
    return <p className="empty">No model calls yet — the demo worker runs without a model</p>;
  }
  return (
    <>
      <p className="small muted">Newest first, up to the last {LLM_CALLS_SHOWN}.</p>
      <ul className="plain-list call-list">
        {calls.data.map((call) => (
          <li key={call.id} className="call" data-testid="llm-call">
            <div className="call-main">
              <p className="call-title">
                <span className="model-name">{call.model}</span>
                <span className={call.status === 'ok' ? 'tag tag-ok' : 'tag tag-error'}>
                  {call.status.replaceAll('_', ' ')}
                </span>
                {call.isFallback ? <span className="tag tag-warning">fallback</span> : null}
              </p>
              <p className="small muted">
                {call.role} · {count.format(call.inputTokens)} in / {count.format(call.outputTokens)} out ·{' '}
                {callCost(call)} · {latency(call.latencyMs)} ·{' '}
                <time dateTime={call.createdAt} title={new Date(call.createdAt).toLocaleString()}>
                  {timeAgo(call.createdAt)}
                </time>
              </p>
            </div>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setOpen(call)}
            >
              View<span className="visually-hidden"> the {call.model} call</span>
            </button>
          </li>
        ))}
      </ul>
      <Dialog
        open={open !== null}
        title={`Model call: ${open?.model ?? ''}`}
        onClose={() => setOpen(null)}
        wide
      >
        {open ? <CallDetail call={open} /> : null}
      </Dialog>
    </>
  );
}

function CallDetail({ call }: { call: LlmCall }) {
  return (
    <>
      <dl className="call-facts">
        <div>
          <dt>Provider</dt>
          <dd>{call.provider}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{call.role}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            {call.status.replaceAll('_', ' ')} (attempt {call.attempt}
            {call.isFallback ? ', fallback model' : ''})
          </dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>
            {count.format(call.inputTokens)} in · {count.format(call.outputTokens)} out ·{' '}
            {count.format(call.cacheReadTokens)} cache read · {count.format(call.cacheWriteTokens)} cache
            write
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{callCost(call)}</dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd>{latency(call.latencyMs)}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {new Date(call.createdAt).toLocaleString()}
            {call.atSeq !== null ? ` (event ${call.atSeq})` : ''}
          </dd>
        </div>
      </dl>
      {call.error ? (
        <p className="form-error">
          <strong>Error: </strong>
          {call.error}
        </p>
      ) : null}
      <h3 className="insights-subtitle">Request</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard. */}
      <pre className="call-json" tabIndex={0}>
        {pretty(call.request)}
      </pre>
      <h3 className="insights-subtitle">Response</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard. */}
      <pre className="call-json" tabIndex={0}>
        {pretty(call.response)}
      </pre>
    </>
  );
}
