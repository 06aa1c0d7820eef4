import type { ModelSpend, ProjectDetail } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, formatUsd } from '../../../lib/ui.tsx';
import type { ProjectStream } from '../../project/stream.ts';
import { MODEL_CALL_EVENTS, newestSeqOf } from '../event-words.ts';
import { spendQueryOptions } from '../queries.ts';
import { useLiveChange } from '../use-live-change.ts';

const tokens = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** Unpriced calls have an unknown cost, never a free one. */
function modelCost(row: ModelSpend): string {
  if (row.unpricedCalls === 0) return formatUsd(row.costUsd);
  if (row.unpricedCalls >= row.calls) return 'unknown price';
  return `${formatUsd(row.costUsd)} + unknown price`;
}

/** Spend against the project's cap, per model, what loops cost, and the day's spend across projects. */
export function SpendView({
  projectId,
  detail,
  stream,
}: {
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  const query = useQuery({ ...spendQueryOptions(projectId), placeholderData: detail.spend });
  useLiveChange(newestSeqOf(stream.events, MODEL_CALL_EVENTS), stream.live, query.refetch);
  if (query.error) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const spend = query.data ?? detail.spend;
  const level = spend.capPercent >= 90 ? 'high' : spend.capPercent >= 70 ? 'medium' : 'low';

  return (
    <>
      <div className="spend-total">
        <p className="spend-amount" data-testid="spend-total">
          {formatUsd(spend.spentUsd)} of {formatUsd(spend.capUsd)}
        </p>
        <p className="small muted">
          {spend.capPercent}% of the cap used · {formatUsd(spend.remainingUsd)} left
          {spend.reservedUsd > 0 ? ` · ${formatUsd(spend.reservedUsd)} held for calls in flight` : ''}
        </p>
      </div>
      <div
        className={`progress spend-bar spend-bar-${level}`}
        role="progressbar"
        aria-label="Spending cap used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={spend.capPercent}
        aria-valuetext={`${spend.capPercent}% of the ${formatUsd(spend.capUsd)} cap`}
      >
        <span style={{ width: `${spend.capPercent}%` }} />
      </div>
      <dl className="spend-facts">
        <div>
          <dt>Model calls</dt>
          <dd>
            {spend.calls}
            {spend.fallbackCalls > 0 ? ` (${spend.fallbackCalls} on a fallback model)` : ''}
          </dd>
        </div>
        <div>
          <dt>Calls without a known price</dt>
          <dd>{spend.unpricedCalls}</dd>
        </div>
        <div>
          <dt>Loops detected</dt>
          <dd>
            {spend.loops.detected}
            {spend.loops.detected > 0 ? `, costing ${formatUsd(spend.loops.costUsd)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Spent today (all projects)</dt>
          <dd>
            {formatUsd(spend.daily.spentUsd)}
            {spend.daily.capUsd === null ? ' · no daily cap' : ` of ${formatUsd(spend.daily.capUsd)}`}
          </dd>
        </div>
      </dl>
      <h3 className="insights-subtitle" id="spend-models-title">
        Per model
      </h3>
      {spend.byModel.length === 0 ? (
        <p className="empty small">No model has been called yet.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-labelledby="spend-models-title" tabIndex={0}>
          <table className="insights-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Calls</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {spend.byModel.map((row) => (
                <tr key={`${row.provider}/${row.model}`} data-testid="spend-model">
                  <th scope="row">
                    <span className="model-name">{row.model}</span>
                    {row.provider !== row.model ? (
                      <span className="model-provider">{row.provider}</span>
                    ) : null}
                    {row.fallbackCalls > 0 ? (
                      <span className="tag tag-warning">fallback ×{row.fallbackCalls}</span>
                    ) : null}
                  </th>
                  <td>{row.calls}</td>
                  <td>
                    {tokens.format(row.inputTokens)} / {tokens.format(row.outputTokens)}
                    <span className="token-cache">{tokens.format(row.cacheReadTokens)} cache read</span>
                  </td>
                  <td className={row.unpricedCalls > 0 ? 'cost-unknown' : undefined}>{modelCost(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
