export * from './briefs.ts';
export { answerFromBrief, ownerAnswer } from './owner.ts';
