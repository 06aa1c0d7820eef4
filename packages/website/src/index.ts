export * from './brief.ts';
export * from './mockup.ts';
