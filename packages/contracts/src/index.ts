export * from './api.ts';
export * from './auth.ts';
export * from './board.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './projects.ts';
export * from './ws.ts';
