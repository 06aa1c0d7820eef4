import type { ProjectDetail } from '@sitewright/contracts';
import { type KeyboardEvent, useRef } from 'react';
import type { ProjectStream } from '../../project/stream.ts';
import { type InsightsTab, useInsightsUi } from '../store.ts';
import { AlarmsView } from './AlarmsView.tsx';
import { GatesView } from './GatesView.tsx';
import { LlmCallsView } from './LlmCallsView.tsx';
import { ModelsView } from './ModelsView.tsx';
import { SpendView } from './SpendView.tsx';
import { TimelineView } from './TimelineView.tsx';
import '../insights.css';

const tabs: Array<[InsightsTab, string]> = [
  ['gates', 'Gates'],
  ['alarms', 'Alarms'],
  ['spend', 'Spend'],
  ['models', 'Models'],
  ['calls', 'LLM calls'],
  ['timeline', 'Timeline'],
];

/**
 * The operator's view of a run: gates and their criteria, alarms, spend against the caps, the model
 * each role uses (the owner may choose another), the model calls with their request and response,
 * and the event timeline. Tabs follow the WAI-ARIA pattern (arrow keys, Home and End move between
 * them; only the open one is in the Tab order).
 */
export function InsightsPanel({
  projectId,
  detail,
  stream,
}: {
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  const { tab, setTab } = useInsightsUi();
  const tabRefs = useRef(new Map<InsightsTab, HTMLButtonElement>());
  const openAlarms = detail.alarms.length;

  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex(([id]) => id === tab);
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const [id] = tabs[next] as [InsightsTab, string];
    setTab(id);
    tabRefs.current.get(id)?.focus();
  };

  return (
    <section className="card insights" aria-labelledby="insights-title">
      <h2 id="insights-title" className="card-title">
        Insights
      </h2>
      <div className="insights-tabs" role="tablist" aria-label="Insights" onKeyDown={onKeyDown}>
        {tabs.map(([id, label]) => (
          <button
            key={id}
            ref={(element) => {
              if (element) tabRefs.current.set(id, element);
              else tabRefs.current.delete(id);
            }}
            type="button"
            role="tab"
            id={`insights-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`insights-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            {label}
            {id === 'alarms' && openAlarms > 0 ? (
              <span className="insights-count">
                {openAlarms}
                <span className="visually-hidden"> open</span>
              </span>
            ) : null}
          </button>
        ))}
      </div>
      {tabs.map(([id]) => (
        <div
          key={id}
          className="insights-panel"
          role="tabpanel"
          id={`insights-panel-${id}`}
          aria-labelledby={`insights-tab-${id}`}
          hidden={tab !== id}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the ARIA tabs pattern puts the open panel in the Tab order.
          tabIndex={0}
        >
          {tab === id ? (
            <InsightsView tab={id} projectId={projectId} detail={detail} stream={stream} />
          ) : null}
        </div>
      ))}
    </section>
  );
}

function InsightsView({
  tab,
  projectId,
  detail,
  stream,
}: {
  tab: InsightsTab;
  projectId: string;
  detail: ProjectDetail;
  stream: ProjectStream;
}) {
  switch (tab) {
    case 'gates':
      return <GatesView projectId={projectId} detail={detail} stream={stream} />;
    case 'alarms':
      return <AlarmsView projectId={projectId} detail={detail} />;
    case 'spend':
      return <SpendView projectId={projectId} detail={detail} stream={stream} />;
    case 'models':
      return <ModelsView projectId={projectId} />;
    case 'calls':
      return <LlmCallsView projectId={projectId} stream={stream} />;
    case 'timeline':
      return <TimelineView stream={stream} />;
  }
}
