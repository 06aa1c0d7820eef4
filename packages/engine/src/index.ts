export { type AlarmInput, alarmEvent, type EngineAlarmType } from './alarms.ts';
export { askUserTool, builtinTools, requestApprovalTool } from './builtin-tools.ts';
export {
  createEventBus,
  EVENTS_CHANNEL,
  type EventBus,
  type EventBusOptions,
  type EventListener,
  LIVE_CHANNEL,
  type LiveListener,
} from './bus.ts';
export type {
  DomainContext,
  DomainPack,
  GateDefinition,
  HookResult,
  PostHook,
  StageDefinition,
} from './domain.ts';
export {
  AnswerInput,
  createEngine,
  defaultLimits,
  describeZodError,
  type Engine,
  type EngineLimits,
  type EngineOptions,
  type RunOptions,
  type RunOutcome,
} from './engine.ts';
export { EngineError, type EngineErrorCode } from './errors.ts';
export { type AppendOptions, appendEvents, type DbOrTx, readEvents, type Tx } from './events/log.ts';
export * from './events/types.ts';
export { stepsFromEvents } from './guards.ts';
export { acquireLease, type Lease, releaseLease, renewLease } from './leases.ts';
export { createLiveText, LIVE_TEXT_MAX_CHARS, type LiveText } from './live.ts';
export * from './loop-detector/index.ts';
export * from './machine/index.ts';
export { registerDomainProjector } from './projections/apply.ts';
export {
  readProjection,
  rebuildProjections,
  registerDomainProjection,
  type VerifyResult,
  verifyProjections,
} from './projections/rebuild.ts';
export { createRunner, type Runner, type RunnerOptions } from './runner.ts';
export { type CreateSnapshotInput, listSnapshots, MAX_SNAPSHOTS, type Snapshot } from './snapshots.ts';
export {
  type CapReached,
  checkSpend,
  createSpendMeter,
  SpendCapReached,
  type SpendHold,
  type SpendLimits,
  type SpendMeter,
  type SpendReservation,
  type SpendSettlement,
} from './spend.ts';
export {
  defineTool,
  type StepHints,
  type ToolContext,
  type ToolDefinition,
  type ToolEffect,
  ToolError,
  type ToolResult,
} from './tools.ts';
export * from './work-items/index.ts';
export {
  Envelope,
  type Worker,
  type WorkerCall,
  type WorkerContext,
  WorkerFault,
  type WorkerResponse,
  type WorkerUsage,
} from './worker.ts';
