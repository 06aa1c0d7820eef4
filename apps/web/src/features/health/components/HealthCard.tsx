import type { HealthResponse } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api.ts';
import { formatDriver, formatLatency, formatTime } from '../format.ts';
import { healthQueryOptions } from '../queries.ts';

/** The server's and its database's health, re-checked every few seconds while the page is open. */
export function HealthCard() {
  const health = useQuery(healthQueryOptions());
  const retry = () => void health.refetch();

  return (
    <section className="card" aria-labelledby="health-title" aria-busy={health.isPending}>
      <div className="card-header">
        <div>
          <h2 id="health-title" className="card-title">
            System health
          </h2>
          <p className="card-subtitle">
            {health.data ? (
              <>
                Last checked at{' '}
                <time dateTime={new Date(health.dataUpdatedAt).toISOString()}>
                  {formatTime(health.dataUpdatedAt)}
                </time>
              </>
            ) : (
              'Server and database'
            )}
          </p>
        </div>
        {health.data && <OverallStatus status={health.data.status} />}
      </div>

      {health.data ? (
        <>
          {health.isError && (
            <div className="notice notice-warning" role="alert">
              <p>
                The latest check failed: {health.error.message} Showing the result from{' '}
                {formatTime(health.dataUpdatedAt)}.
              </p>
              <RetryButton onClick={retry} busy={health.isFetching} />
            </div>
          )}
          <HealthDetails health={health.data} />
        </>
      ) : health.isError ? (
        <div className="notice notice-error" role="alert">
          {health.error instanceof ApiError && health.error.code === 'network_error' ? (
            <>
              <p className="notice-title">Can’t reach the Sitewright server</p>
              <p>Check that Sitewright is running and that this device is online, then try again.</p>
            </>
          ) : (
            <>
              <p className="notice-title">The health check failed</p>
              <p>{health.error.message}</p>
            </>
          )}
          <RetryButton onClick={retry} busy={health.isFetching} />
        </div>
      ) : (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Checking the server…
        </p>
      )}
    </section>
  );
}

function OverallStatus({ status }: { status: HealthResponse['status'] }) {
  return (
    <p className="overall-status">
      <span className="visually-hidden">Overall status: </span>
      <span className={`badge badge-${status}`} data-testid="health-status" data-status={status}>
        <span className="status-dot" aria-hidden="true" />
        {status === 'ok' ? 'OK' : 'Error'}
      </span>
    </p>
  );
}

function HealthDetails({ health }: { health: HealthResponse }) {
  const { db } = health;
  return (
    <>
      <p className="health-summary">
        {health.status === 'ok'
          ? 'Everything is running normally.'
          : 'The server is running, but its database is not responding.'}
      </p>
      <dl className="facts">
        <div className="fact">
          <dt>Database</dt>
          <dd data-testid="db-driver">{formatDriver(db.driver)}</dd>
        </div>
        <div className="fact">
          <dt>Database status</dt>
          <dd>
            <span
              className={`db-status db-status-${db.status}`}
              data-testid="db-status"
              data-status={db.status}
            >
              <span className="status-dot" aria-hidden="true" />
              {db.status === 'up' ? 'Up' : 'Down'}
            </span>
          </dd>
        </div>
        <div className="fact">
          <dt>Query latency</dt>
          <dd data-testid="db-latency">
            {db.latencyMs === null ? 'Not measured' : formatLatency(db.latencyMs)}
          </dd>
        </div>
        <div className="fact">
          <dt>Server version</dt>
          <dd className="mono" data-testid="app-version">
            {health.version}
          </dd>
        </div>
      </dl>
      {db.error && (
        <p className="db-error">
          <span className="db-error-label">Database error:</span> <code>{db.error}</code>
        </p>
      )}
    </>
  );
}

function RetryButton({ onClick, busy }: { onClick: () => void; busy: boolean }) {
  return (
    // aria-disabled rather than disabled, so keyboard focus stays on the button while it retries.
    <button type="button" className="button" onClick={busy ? undefined : onClick} aria-disabled={busy}>
      {busy ? 'Retrying…' : 'Retry'}
    </button>
  );
}
