import { describe, expect, it } from 'vitest';
import { loadPrompts, parsePrompt, renderPrompt } from './prompts.ts';

describe('prompt templates', () => {
  it('loads one template per role and stage, each taking the brief', () => {
    const templates = loadPrompts();
    expect([...templates.keys()].sort()).toEqual([
      'bootstrap',
      'bug-analysis',
      'coding',
      'initializer',
      'intent-audit',
      'mockup',
      'regression',
    ]);
    for (const template of templates.values()) {
      expect(template.version).toBeGreaterThanOrEqual(1);
      expect(template.inputs).toContain('brief');
      for (const input of template.inputs) expect(template.body).toContain(`{{${input}}}`);
    }
    expect(templates.get('coding')?.inputs).toContain('item');
    expect(templates.get('bug-analysis')?.inputs).toContain('item');
  });

  it('renders inputs, showing objects as JSON and missing ones as (none)', () => {
    const text = renderPrompt(
      { body: 'Brief: {{brief}} Item: {{ item }}' },
      { brief: { businessName: 'Zoë' } },
    );
    expect(text).toContain('"businessName": "Zoë"');
    expect(text).toContain('Item: (none)');
  });

  it('refuses a template without front-matter', () => {
    expect(() => parsePrompt('no front matter', 'x.md')).toThrow(/x.md: missing front-matter/);
    expect(() => parsePrompt('---\nid: a\n---\nbody', 'y.md')).toThrow(/id, version and inputs/);
  });
});
