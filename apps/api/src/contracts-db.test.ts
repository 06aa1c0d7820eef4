/** The contract's enums mirror the database's; a new value in one must reach the other. */
import {
  AlarmSeverity,
  BugStatus,
  LifecycleState,
  PausedReason,
  PendingKind,
  RunStatus,
  UserRole,
  WorkItemStatus,
  WorkItemType,
} from '@sitewright/contracts';
import {
  alarmSeverity,
  bugStatus,
  lifecycleState,
  pausedReason,
  pendingKind,
  runStatus,
  userRole,
  workItemStatus,
  workItemType,
} from '@sitewright/db';
import { describe, expect, it } from 'vitest';

describe('contract enums', () => {
  it.each([
    ['RunStatus', RunStatus.options, runStatus.enumValues],
    ['PausedReason', PausedReason.options, pausedReason.enumValues],
    ['LifecycleState', LifecycleState.options, lifecycleState.enumValues],
    ['PendingKind', PendingKind.options, pendingKind.enumValues],
    ['AlarmSeverity', AlarmSeverity.options, alarmSeverity.enumValues],
    ['WorkItemType', WorkItemType.options, workItemType.enumValues],
    ['WorkItemStatus', WorkItemStatus.options, workItemStatus.enumValues],
    ['BugStatus', BugStatus.options, bugStatus.enumValues],
    ['UserRole', UserRole.options, userRole.enumValues],
  ])('%s matches the database', (_name, contract, database) => {
    expect([...contract]).toEqual([...database]);
  });
});
