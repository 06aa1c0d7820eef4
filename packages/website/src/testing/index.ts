export { decide as demoDecision } from '../demo/worker.ts';
export * from './briefs.ts';
export { answerFromBrief, ownerAnswer } from './owner.ts';
