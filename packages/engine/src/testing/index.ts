export { type NotesDomainOptions, notesDomain } from './notes-domain.ts';
export {
  notesJourney,
  type Script,
  type ScriptedWorker,
  type ScriptHelpers,
  scriptedWorker,
} from './scripted-worker.ts';
export { type MemorySpendMeter, memorySpendMeter, testWorkerCall } from './worker-call.ts';
