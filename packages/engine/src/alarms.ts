import { randomUUID } from 'node:crypto';
import { alarms } from '@sitewright/db';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from './events/log.ts';
import type { AlarmSeverity, EventDraft } from './events/types.ts';

/** Alarm types the engine raises; domain packs add their own (e.g. `intent_mismatch`). */
export type EngineAlarmType =
  | 'iteration_limit_reached'
  | 'spend_cap_reached'
  | 'turn_cap_reached'
  | 'tool_failed'
  | 'output_schema_violation'
  | 'loop_detected'
  | 'rate_limited'
  | 'worker_unavailable'
  | 'repeated_failures'
  | 'outcome_unknown'
  | 'runner_lost'
  | 'engine_error';

export interface AlarmInput {
  type: EngineAlarmType | (string & {});
  severity: AlarmSeverity;
  message: string;
  recommendedAction: string;
  context?: Record<string, unknown>;
  /** State alarms resolve by themselves when the run continues past the state that raised them. */
  autoResolve?: boolean;
}

export function alarmEvent(input: AlarmInput): EventDraft {
  return {
    type: 'alarm_raised',
    payload: {
      alarmId: randomUUID(),
      type: input.type,
      severity: input.severity,
      message: input.message,
      context: input.context ?? {},
      recommendedAction: input.recommendedAction,
      autoResolve: input.autoResolve ?? false,
    },
  };
}

/** Events resolving every open state alarm of a project (called when its run continues). */
export async function resolveStateAlarms(db: DbOrTx, projectId: string, why: string): Promise<EventDraft[]> {
  const open = await db
    .select({ id: alarms.id })
    .from(alarms)
    .where(and(eq(alarms.projectId, projectId), eq(alarms.status, 'open'), eq(alarms.autoResolve, true)));
  return open.map((alarm) => ({ type: 'alarm_resolved', payload: { alarmId: alarm.id, why } }));
}
