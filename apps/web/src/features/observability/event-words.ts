import type { ProjectEvent } from '@sitewright/contracts';

/** An event as one timeline line: what happened, in words, and its gist. */
export interface EventLine {
  label: string;
  summary: string;
}

type Payload = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
/** `git_commit` → "git commit". */
const words = (value: unknown): string => text(value).replaceAll('_', ' ');
const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');
const item = (payload: Payload) => `#${text(payload.itemId)}`;

const describers: Record<string, (payload: Payload) => EventLine> = {
  project_created: (p) => ({ label: 'Project created', summary: text(p.name) }),
  run_status_changed: (p) => ({
    label: 'Run status changed',
    summary: join(`${words(p.status)}${p.pausedReason ? ` (${words(p.pausedReason)})` : ''}`, words(p.cause)),
  }),
  lifecycle_transitioned: (p) => ({
    label: 'State changed',
    summary: join(`${words(p.from)} → ${words(p.to)}`, text(p.reason)),
  }),
  stage_changed: (p) => ({ label: 'Stage changed', summary: `${words(p.from)} → ${words(p.to)}` }),
  worker_output: (p) => ({
    label: 'Agent answered',
    summary: join(
      `turn ${text(p.turn)}`,
      text(p.model),
      typeof p.costUsd === 'number' && p.costUsd > 0 ? `$${p.costUsd.toFixed(4)}` : '',
    ),
  }),
  worker_failed: (p) => ({ label: 'Agent call failed', summary: join(words(p.kind), text(p.message)) }),
  worker_output_invalid: (p) => ({
    label: 'Agent answer rejected',
    summary: join(`attempt ${text(p.attempt)}`, text(p.error)),
  }),
  worker_output_applied: (p) => ({ label: 'Agent answer applied', summary: words(p.kind) }),
  tool_started: (p) => ({ label: 'Tool started', summary: words(p.tool) }),
  tool_finished: (p) => ({
    label: p.ok ? 'Tool finished' : 'Tool failed',
    summary: join(words(p.tool), text(p.error)),
  }),
  tool_outcome_unknown: (p) => ({ label: 'Tool interrupted', summary: words(p.tool) }),
  step_settled: () => ({ label: 'Step settled', summary: 'checks and hooks done' }),
  hook_finished: (p) => ({
    label: p.ok ? 'Hook passed' : 'Hook failed',
    summary: join(words(p.hook), text(p.detail)),
  }),
  gate_evaluated: (p) => {
    const criteria = Array.isArray(p.criteria) ? (p.criteria as Array<{ passed?: unknown }>) : [];
    const passed = criteria.filter((criterion) => criterion.passed === true).length;
    return {
      label: p.passed ? 'Gate passed' : 'Gate not passed',
      summary: join(words(p.name), `${passed}/${criteria.length} criteria`),
    };
  },
  pending_opened: (p) => ({
    label:
      p.kind === 'approval'
        ? 'Approval asked'
        : p.kind === 'continuation'
          ? 'Asked whether to continue'
          : 'Question asked',
    summary: text(p.question) || words(p.subject) || text(p.reason),
  }),
  pending_answered: (p) => ({ label: 'Owner answered', summary: text(p.answer) }),
  pending_cancelled: (p) => ({ label: 'Question withdrawn', summary: text(p.why) }),
  owner_message: (p) => ({ label: 'Owner wrote', summary: text(p.text) }),
  agent_message: (p) => ({ label: 'Agent wrote', summary: text(p.text) }),
  alarm_raised: (p) => ({ label: 'Alarm raised', summary: join(text(p.severity), text(p.message)) }),
  alarm_resolved: (p) => ({ label: 'Alarm resolved', summary: text(p.why) }),
  model_swapped: (p) => ({ label: 'Model swapped', summary: join(text(p.model), text(p.reason)) }),
  loop_nudged: (p) => ({ label: 'Loop nudged', summary: join(words(p.kind), text(p.message)) }),
  brief_saved: () => ({ label: 'Brief saved', summary: '' }),
  snapshot_created: (p) => ({
    label: 'Snapshot saved',
    summary: join(text(p.name), p.kind === 'auto' ? 'automatic' : ''),
  }),
  board_restored: (p) => ({ label: 'Rolled back', summary: `to ${text(p.name)}` }),
  rewound: (p) => ({
    label: 'Rewound',
    summary: `to event ${text(p.toSeq)}, ${text(p.superseded)} later events hidden`,
  }),
  rewind_undone: (p) => ({ label: 'Rewind taken back', summary: `${text(p.restored)} events restored` }),
  domain: (p) => ({ label: 'Site event', summary: words(p.name) }),
  work_item_created: (p) => ({
    label: 'Card created',
    summary: join(`${words(p.itemType)} #${text(p.id)}`, text(p.name)),
  }),
  work_item_claimed: (p) => ({ label: 'Card taken', summary: join(item(p), `by ${text(p.claimedBy)}`) }),
  work_item_status_changed: (p) => ({
    label: 'Card moved',
    summary: join(`${item(p)} ${words(p.from)} → ${words(p.to)}`, text(p.reason)),
  }),
  work_item_skipped: (p) => ({ label: 'Card skipped', summary: item(p) }),
  work_item_reprioritised: (p) => ({
    label: 'Card reprioritised',
    summary: join(item(p), `priority ${text(p.priority)}`),
  }),
  work_item_dependency_added: (p) => ({
    label: 'Dependency added',
    summary: `${item(p)} waits for #${text(p.dependsOnId)}`,
  }),
  work_item_dependency_removed: (p) => ({
    label: 'Dependency removed',
    summary: `${item(p)} no longer waits for #${text(p.dependsOnId)}`,
  }),
  bug_status_changed: (p) => ({
    label: 'Bug status changed',
    summary: join(`${item(p)} ${words(p.from)} → ${words(p.to)}`, text(p.reason)),
  }),
  work_item_deleted: (p) => ({ label: 'Card deleted', summary: join(item(p), text(p.name)) }),
  spec_saved: (p) => ({ label: 'Spec saved', summary: text(p.name) }),
};

/** Unknown types (a newer server) still read as words rather than a raw identifier. */
export function describeEvent(event: ProjectEvent): EventLine {
  const payload = (event.payload && typeof event.payload === 'object' ? event.payload : {}) as Payload;
  const describe = describers[event.type];
  if (describe) return describe(payload);
  const label = words(event.type);
  return { label: label.charAt(0).toUpperCase() + label.slice(1), summary: '' };
}

/** Events that follow a billed model call: the spend ledger and the call log have new rows by then. */
export const MODEL_CALL_EVENTS: ReadonlySet<string> = new Set([
  'worker_output',
  'worker_failed',
  'worker_output_invalid',
  'step_settled',
]);

/** The seq of the newest event whose type is in `types` (0 when none): a cheap "did it change" signal. */
export function newestSeqOf(events: readonly ProjectEvent[], types: ReadonlySet<string>): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as ProjectEvent;
    if (types.has(event.type)) return event.seq;
  }
  return 0;
}
