/**
 * Prompt templates from `prompts/` (front-matter: id, version, inputs), rendered with `{{input}}`
 * placeholders. A project may override a template in its settings (`settings.prompts[id]`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PromptTemplate {
  id: string;
  version: number;
  inputs: string[];
  body: string;
}

export const defaultPromptsDir = fileURLToPath(new URL('../../../prompts', import.meta.url));

/** Parses one template file; throws with the file name when the front-matter is malformed. */
export function parsePrompt(text: string, file = 'prompt'): PromptTemplate {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: missing front-matter`);
  const fields = new Map<string, string>();
  for (const line of (match[1] as string).split('\n')) {
    const separator = line.indexOf(':');
    if (separator > 0) fields.set(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  const id = fields.get('id');
  const version = Number(fields.get('version'));
  const inputs = /^\[(.*)\]$/.exec(fields.get('inputs') ?? '')?.[1];
  if (!id || !Number.isInteger(version) || inputs === undefined) {
    throw new Error(`${file}: front-matter needs id, version and inputs: [a, b]`);
  }
  return {
    id,
    version,
    inputs: inputs
      .split(',')
      .map((input) => input.trim())
      .filter(Boolean),
    body: (match[2] as string).trim(),
  };
}

export function loadPrompts(dir = defaultPromptsDir): Map<string, PromptTemplate> {
  const templates = new Map<string, PromptTemplate>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const template = parsePrompt(readFileSync(join(dir, file), 'utf8'), file);
    templates.set(template.id, template);
  }
  return templates;
}

/** Fills `{{input}}` placeholders; objects are shown as indented JSON; missing inputs as "(none)". */
export function renderPrompt(
  template: Pick<PromptTemplate, 'body'>,
  inputs: Record<string, unknown>,
): string {
  return template.body.replace(/\{\{\s*(\w+)\s*\}\}/g, (_all, name: string) => {
    const value = inputs[name];
    if (value === undefined || value === null || value === '') return '(none)';
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  });
}
