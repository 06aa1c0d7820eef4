/** Why the engine refused an operation; `code` is stable, `message` is for people. */
export type EngineErrorCode =
  | 'not_found'
  | 'invalid_transition'
  | 'pending_not_open'
  | 'invalid_answer'
  | 'conflict'
  | 'lease_lost'
  | 'rule_violation'
  | 'invalid_event';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
