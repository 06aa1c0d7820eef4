/**
 * One short real session through the whole product: skipped unless a provider key is set
 * (ANTHROPIC_API_KEY, OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL; MODEL_CHAT / MODEL_CODE /
 * LIVE_MODEL pick the models). The agent asks its first question, the owner answers, and it asks the
 * next one — every call logged, priced and free of the key. Costs a few cents at most.
 */
import { ProjectDetail } from '@sitewright/contracts';
import { describe, expect, it } from 'vitest';
import { startApi } from './testing/api-harness.ts';
import { until } from './testing/until.ts';

const env = process.env;
const keys = {
  ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY,
  OPENROUTER_API_KEY: env.OPENROUTER_API_KEY,
  OPENAI_API_KEY: env.OPENAI_API_KEY,
  OPENAI_BASE_URL: env.OPENAI_BASE_URL,
  MODEL_CHAT: env.LIVE_MODEL ?? env.MODEL_CHAT,
  MODEL_CODE: env.LIVE_MODEL ?? env.MODEL_CODE,
};
const configured = Object.fromEntries(
  Object.entries(keys).filter((entry): entry is [string, string] => Boolean(entry[1])),
);
const hasProvider = ['ANTHROPIC_API_KEY', 'OPENROUTER_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'].some(
  (name) => configured[name],
);

describe.skipIf(!hasProvider)('a live session', () => {
  it('asks, hears the answer and asks again, with every call priced and logged', {
    timeout: 300_000,
  }, async () => {
    const api = await startApi({ RUNNER_ENABLED: 'true', SPEND_CAP_USD: '0.5', ...configured });
    try {
      await api.createUser('live');
      const owner = await api.login('live');
      const created = await owner.post('/api/projects', { name: 'Kettle & Kiln' });
      const id = ProjectDetail.parse(created.body).project.id;
      const question = async (after: number) =>
        until(async () => {
          const detail = ProjectDetail.parse((await owner.get(`/api/projects/${id}`)).body);
          if (detail.project.status === 'paused') throw new Error(JSON.stringify(detail.alarms));
          const open = detail.pending.find((pending) => pending.askedSeq > after);
          return open && detail.project.status === 'awaiting_human' ? open : undefined;
        }, 240_000);
      const first = await question(0);
      await owner.post(`/api/projects/${id}/answer`, {
        pendingId: first.id,
        answer: first.options?.[0] ?? 'Kettle & Kiln, a pottery café in York',
      });
      const second = await question(first.askedSeq);
      expect(second.id).not.toBe(first.id);

      const calls = (await owner.get(`/api/projects/${id}/llm-calls`)).body.calls as Array<{
        status: string;
        costUsd: number | null;
      }>;
      expect(calls.some((call) => call.status === 'ok')).toBe(true);
      const secrets = Object.entries(configured)
        .filter(([name]) => name.endsWith('_KEY'))
        .map(([, value]) => value);
      const stored = JSON.stringify(calls);
      for (const secret of secrets) expect(stored).not.toContain(secret);
      const spend = (await owner.get(`/api/projects/${id}/spend`)).body;
      expect(spend.reservedUsd).toBe(0);
      expect(spend.spentUsd > 0 || spend.unpricedCalls > 0).toBe(true);
    } finally {
      await api.close();
    }
  });
});
