/**
 * The demo worker: deterministic and offline, the default when no model key is configured. It drives
 * the whole journey through the same tools a model would use — nothing bypasses the engine — and each
 * answer is a pure function of the context (stage, visible history, summary), so a restart resumes
 * exactly where it was. It builds the site with the site generator and verifies every item in the
 * browser; it fixes bugs that are mismatches with the brief and says plainly when a bug is beyond it.
 */
import type { StoredEvent, Worker, WorkerCall, WorkerContext, WorkerResponse } from '@sitewright/engine';
import { Brief, type BriefInput } from '../brief.ts';
import { decisions, latestBrief, latestDecision } from '../flow/state.ts';
import { generateSite } from '../site/generate.ts';
import type { WebsiteSummary } from '../summary.ts';
import {
  ACCESSIBILITY,
  CONTACT_DETAILS,
  checksForItem,
  FOUNDATION,
  filesForItem,
  type PlannedCheck,
  pageName,
  planItems,
  SEARCH_FILES,
} from './plan.ts';
import {
  parseAnswer,
  type QuestionKey,
  questionFor,
  questionKeyOf,
  questionLabels,
  questionOrder,
} from './questions.ts';

export const DEMO_LABEL = 'demo worker';

type Envelope =
  | { kind: 'tool_call'; tool: string; args: Record<string, unknown>; say?: string }
  | { kind: 'final'; summary: string }
  | { kind: 'escalate'; reason: string };

const call = (tool: string, args: Record<string, unknown> = {}, say?: string): Envelope =>
  say ? { kind: 'tool_call', tool, args, say } : { kind: 'tool_call', tool, args };

export interface DemoWorkerOptions {
  /**
   * How long the worker takes to "type" what it shows the owner (a question, a message), streamed as
   * a model would stream it; 0 answers at once (tests).
   */
  typingMs?: number;
}

export function createDemoWorker(options: DemoWorkerOptions = {}): Worker {
  const typingMs = options.typingMs ?? 0;
  return {
    label: DEMO_LABEL,
    async respond(context: WorkerContext, call?: WorkerCall): Promise<WorkerResponse> {
      const output = decide(context);
      const shown = shownText(output);
      if (call && typingMs > 0 && shown) await typeOut(shown, typingMs, call);
      return { output, usage: { provider: 'demo', model: 'demo', role: 'demo', costUsd: 0 } };
    },
  };
}

/** What the owner reads from this answer, if anything. */
function shownText(envelope: Envelope): string | null {
  if (envelope.kind === 'final') return envelope.summary;
  if (envelope.kind === 'escalate') return envelope.reason;
  if (envelope.say) return envelope.say;
  const question = envelope.args.question;
  return envelope.tool === 'ask_user' && typeof question === 'string' ? question : null;
}

/** Streams `text` word by word over about `totalMs`, stopping when the call is cancelled. */
async function typeOut(text: string, totalMs: number, call: WorkerCall): Promise<void> {
  const words = text.match(/\S+\s*/g) ?? [text];
  const pause = totalMs / words.length;
  for (const word of words) {
    if (call.signal.aborted) throw call.signal.reason;
    call.onText(word);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** The demo's next move. Exported for tests. */
export function decide(context: WorkerContext): Envelope {
  const summary = context.summary as unknown as WebsiteSummary;
  const history = context.history;
  const envelope = (() => {
    switch (context.stage) {
      case 'bootstrap':
        return bootstrap(history, summary);
      case 'mockup':
        return mockup(history, summary);
      case 'planning':
        return planning(summary);
      case 'build':
        return build(history, summary);
      case 'audit':
        return audit(history, summary);
      default:
        return {
          kind: 'escalate',
          reason: `The demo worker does not know the stage “${context.stage}”.`,
        } as Envelope;
    }
  })();
  return withMessageReply(envelope, history);
}

// ------------------------------------------------------------------------------------------ helpers

type Finished = Extract<StoredEvent, { type: 'tool_finished' }>;
type Started = Extract<StoredEvent, { type: 'tool_started' }>;

function toolCalls(
  history: readonly StoredEvent[],
): Array<{ started: Started; finished: Finished | undefined }> {
  const finished = new Map<string, Finished>();
  for (const event of history) if (event.type === 'tool_finished') finished.set(event.payload.callId, event);
  return history
    .filter((event): event is Started => event.type === 'tool_started')
    .map((started) => ({ started, finished: finished.get(started.payload.callId) }));
}

function lastCall(history: readonly StoredEvent[], tool: string, afterSeq = 0) {
  return toolCalls(history)
    .filter((entry) => entry.started.payload.tool === tool && entry.started.seq > afterSeq)
    .at(-1);
}

/** Answers to brief questions, newest last: `{ key, text, seq }`. */
function briefAnswers(history: readonly StoredEvent[]) {
  const asked = new Map<string, QuestionKey | 'change'>();
  const answers: Array<{ key: QuestionKey | 'change'; text: string; seq: number }> = [];
  for (const event of history) {
    if (event.type === 'pending_opened' && event.payload.kind === 'question' && event.payload.question) {
      const key = event.payload.question.startsWith(CHANGE_QUESTION)
        ? 'change'
        : questionKeyOf(event.payload.question);
      if (key) asked.set(event.payload.pendingId, key);
    }
    if (event.type === 'pending_answered') {
      const key = asked.get(event.payload.pendingId);
      const text = (event.payload.answer as { text?: string }).text;
      if (key && typeof text === 'string') answers.push({ key, text, seq: event.seq });
    }
  }
  return answers;
}

const CHANGE_QUESTION = 'What should change?';

/** Folds the newest valid answer of every question into a brief, or names the question to ask. */
function assemble(
  history: readonly StoredEvent[],
): { next: { key: QuestionKey; problem?: string } } | { brief: BriefInput } {
  const answers = briefAnswers(history);
  const lastChange = answers.filter((answer) => answer.key === 'change').at(-1);
  const known: Partial<BriefInput> = {};
  for (const key of questionOrder) {
    const forKey = answers.filter((answer) => answer.key === key);
    const latest = forKey.at(-1);
    if (!latest) return { next: { key } };
    if (lastChange && questionLabels[key] === lastChange.text && latest.seq < lastChange.seq)
      return { next: { key } };
    const parsed = parseAnswer(key, latest.text, known);
    if (!parsed.ok) return { next: { key, problem: parsed.problem } };
    Object.assign(
      known,
      parsed.value,
      parsed.value.contact ? { contact: { ...known.contact, ...parsed.value.contact } } : {},
    );
  }
  return { brief: known as BriefInput };
}

function ask(
  key: QuestionKey,
  summary: WebsiteSummary,
  history: readonly StoredEvent[],
  problem?: string,
): Envelope {
  const industryAnswer = briefAnswers(history)
    .filter((answer) => answer.key === 'industry')
    .at(-1);
  const industry = industryAnswer ? parseAnswer('industry', industryAnswer.text, {}) : null;
  const question = questionFor(
    key,
    {
      projectName: summary.projectName,
      ...(industry?.ok && industry.value.industry ? { industry: industry.value.industry } : {}),
    },
    problem,
  );
  return call('ask_user', {
    question: question.text,
    ...(question.options ? { options: question.options } : {}),
  });
}

const sameBrief = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// -------------------------------------------------------------------------------------------- stages

function bootstrap(history: readonly StoredEvent[], summary: WebsiteSummary): Envelope {
  const assembled = assemble(history);
  if ('next' in assembled) return ask(assembled.next.key, summary, history, assembled.next.problem);
  const parsed = Brief.safeParse(assembled.brief);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path[0];
    const key: QuestionKey = path === 'contact' ? 'phone' : path === 'businessName' ? 'name' : 'description';
    return ask(key, summary, history, parsed.error.issues[0]?.message);
  }
  const saved = latestBrief(history);
  if (!saved || !sameBrief(saved.brief, parsed.data)) {
    return call(
      'save_business_brief',
      { brief: parsed.data },
      'Thanks — here is the brief I put together from your answers.',
    );
  }
  const decision = latestDecision(history, 'brief', saved.seq);
  if (!decision) return call('request_approval', { subject: 'brief', details: saved.brief });
  if (decision.approved)
    return call('go_to_stage', { stage: 'mockup' }, 'Great, the brief is approved. Next: the layout.');
  return askWhatChanges(history, decision.answeredSeq ?? 0, decision.notes, Object.values(questionLabels));
}

function askWhatChanges(
  history: readonly StoredEvent[],
  afterSeq: number,
  notes: string,
  options: string[],
): Envelope {
  const answered = briefAnswers(history).some((answer) => answer.key === 'change' && answer.seq > afterSeq);
  if (answered)
    return { kind: 'escalate', reason: 'I could not tell which part to change. Which part should I update?' };
  const echo = notes ? ` You said: “${notes}”.` : '';
  return call('ask_user', { question: `${CHANGE_QUESTION}${echo} Pick the part to update.`, options });
}

function mockup(history: readonly StoredEvent[], summary: WebsiteSummary): Envelope {
  const saved = latestBrief(history);
  if (!saved) return call('go_to_stage', { stage: 'bootstrap' });
  // A colour or tone change asked for during the mockup review is re-asked here and saved.
  const lastMockupDecision = decisions(history)
    .filter((decision) => decision.subject === 'mockup')
    .at(-1);
  if (lastMockupDecision?.approved === false) {
    const change = briefAnswers(history).find(
      (answer) => answer.key === 'change' && answer.seq > (lastMockupDecision.answeredSeq ?? 0),
    );
    if (!change) {
      return askWhatChanges(history, lastMockupDecision.answeredSeq ?? 0, lastMockupDecision.notes, [
        questionLabels.colour,
        questionLabels.tone,
        'The pages',
      ]);
    }
    if (change.text !== 'The pages') {
      const assembled = assemble(history);
      if ('next' in assembled) return ask(assembled.next.key, summary, history, assembled.next.problem);
      const parsed = Brief.safeParse(assembled.brief);
      if (parsed.success && !sameBrief(saved.brief, parsed.data)) {
        return call('save_business_brief', { brief: parsed.data });
      }
    }
  }
  const rendered = summary.mockup;
  const needsRender =
    !rendered ||
    rendered.seq < saved.seq ||
    (lastMockupDecision?.approved === false && rendered.seq < (lastMockupDecision.answeredSeq ?? 0));
  if (needsRender) {
    const pagesNote =
      lastMockupDecision?.approved === false &&
      briefAnswers(history).some(
        (answer) =>
          answer.key === 'change' &&
          answer.text === 'The pages' &&
          answer.seq > (lastMockupDecision.answeredSeq ?? 0),
      )
        ? 'As the demo worker I always build the home, services, about and contact pages; a model-backed worker can restructure them.'
        : undefined;
    return call('render_mockup', {}, pagesNote);
  }
  const decision = latestDecision(history, 'mockup', rendered.seq);
  if (!decision) {
    return call('request_approval', {
      subject: 'mockup',
      details: { pages: rendered.mockup.pages.map((page) => page.title), wireframe: rendered.wireframe },
    });
  }
  if (decision.approved)
    return call('go_to_stage', { stage: 'planning' }, 'The layout is approved. Planning the work now.');
  return { kind: 'escalate', reason: 'Waiting for your decision on the mockup.' };
}

function planning(summary: WebsiteSummary): Envelope {
  if (!summary.brief || !summary.mockup)
    return { kind: 'escalate', reason: 'The plan needs an approved brief and mockup.' };
  const spec = summary.unplannedSpecs[0];
  if (spec) {
    return call(
      'work_item_create_bulk',
      {
        items: [
          {
            name: spec.name,
            description: spec.content.slice(0, 9_000),
            sourceSpec: spec.name,
            category: 'spec',
            layer: 2,
            steps: [`The site does what “${spec.name}” describes`],
          },
        ],
      },
      `I added “${spec.name}” to the board.`,
    );
  }
  if (summary.stats.total === 0) {
    return call(
      'work_item_create_bulk',
      { items: planItems(summary.brief, summary.mockup.mockup) },
      'Here is the plan, feature by feature.',
    );
  }
  return call('go_to_stage', { stage: 'build' });
}

function build(history: readonly StoredEvent[], summary: WebsiteSummary): Envelope {
  const item = summary.currentItem;
  if (!item && summary.unplannedSpecs.length > 0) {
    return call('go_to_stage', { stage: 'planning' }, 'You added to the plan; planning it first.');
  }
  if (!item) {
    if (summary.nextItem) return call('work_item_claim', { itemId: summary.nextItem.id });
    const open = summary.stats.total - summary.stats.passing - summary.stats.byStatus.skipped;
    const openBugs = summary.stats.bugs.total - summary.stats.bugs.resolved;
    if (open === 0 && openBugs === 0) return call('go_to_stage', { stage: 'audit' });
    return {
      kind: 'escalate',
      reason: `${open + openBugs} item(s) are stuck after several failed attempts. Look at them on the board: skip them, or describe what should change.`,
    };
  }
  if (!summary.brief || !summary.mockup)
    return { kind: 'escalate', reason: 'The build needs an approved brief and mockup.' };
  if (item.itemType === 'bug') return analyseBug(history, item);
  if (item.itemType === 'feature' && !isPlanned(item.name, summary)) {
    // A feature the owner asked for in their own words: designing new content is beyond the demo.
    return {
      kind: 'escalate',
      reason: `“${item.name}” needs new content designed from your description, which the demo worker cannot do honestly — it only builds what your brief states. Connect an AI model (see the configuration guide), or skip the item on the board.`,
    };
  }
  return workOnItem(history, summary, item);
}

type Item = NonNullable<WebsiteSummary['currentItem']>;

/** Items the demo planned itself (it knows their files and checks). */
function isPlanned(name: string, summary: WebsiteSummary): boolean {
  const mockupRecord = summary.mockup;
  if (!mockupRecord) return false;
  return (
    [FOUNDATION, CONTACT_DETAILS, SEARCH_FILES, ACCESSIBILITY].includes(name) ||
    mockupRecord.mockup.pages.some((page) => pageName(page) === name)
  );
}

/** The seq at which the current item was claimed (its work starts there). */
function claimedAt(history: readonly StoredEvent[], item: Item): number {
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i] as StoredEvent;
    if (event.type === 'work_item_claimed' && event.payload.itemId === item.id) return event.seq;
  }
  return 0;
}

function workOnItem(history: readonly StoredEvent[], summary: WebsiteSummary, item: Item): Envelope {
  const brief = summary.brief as Brief;
  const mockupRecord = summary.mockup as NonNullable<WebsiteSummary['mockup']>;
  const since = claimedAt(history, item);
  const site = generateSite(brief, mockupRecord.mockup);
  // Fixes rewrite every page from the brief: writes are content-addressed, so unchanged pages are no-ops.
  const files =
    item.itemType === 'fix'
      ? site.filter((file) => file.path.endsWith('.html'))
      : filesForItem(item.name, site, mockupRecord.mockup);
  const writes = toolCalls(history).filter(
    (entry) => entry.started.payload.tool === 'write_file' && entry.started.seq > since,
  );
  for (const file of files) {
    const written = writes.some(
      (entry) =>
        entry.finished?.payload.ok &&
        (entry.started.payload.args as { path: string; content: string }).path === file.path &&
        (entry.started.payload.args as { content: string }).content === file.content,
    );
    if (!written) return call('write_file', { path: file.path, content: file.content });
  }
  const lastWrite = writes.at(-1)?.started.seq ?? since;
  const checks: PlannedCheck[] =
    item.itemType === 'fix'
      ? [{ page: item.page ?? '/', assertions: [{ selector: 'body', text: brief.businessName }] }]
      : checksForItem(item.name, brief, mockupRecord.mockup);
  const results: Array<{ name: string; passed: boolean; detail?: string; screenshot?: string | null }> = [];
  for (const check of checks) {
    const done = toolCalls(history)
      .filter(
        (entry) =>
          entry.started.payload.tool === 'browser_check' &&
          entry.started.seq > lastWrite &&
          (entry.started.payload.args as { page: string }).page === check.page,
      )
      .at(-1);
    if (!done?.finished) return call('browser_check', { ...check, axe: true });
    const data = (done.finished.payload.data ?? {}) as {
      passed?: boolean;
      results?: Array<{ name: string; passed: boolean; detail?: string }>;
      screenshot?: string | null;
      axeViolations?: unknown[];
    };
    results.push({
      name: `browser check of ${check.page}`,
      passed: done.finished.payload.ok && data.passed === true,
      detail: done.finished.payload.ok ? summariseCheck(data) : (done.finished.payload.error ?? 'failed'),
      screenshot: data.screenshot ?? null,
    });
  }
  if (item.itemType === 'fix') {
    const intent = lastCall(history, 'check_intent', lastWrite);
    if (!intent?.finished) return call('check_intent');
    const data = intent.finished.payload.data as { passed?: boolean } | undefined;
    results.push({ name: 'every fact matches the brief', passed: data?.passed === true });
  }
  const failed = results.filter((result) => !result.passed);
  if (failed.length > 0) {
    return call('work_item_mark_failing', {
      itemId: item.id,
      error: failed
        .map((result) => `${result.name}: ${result.detail ?? 'failed'}`)
        .join('\n')
        .slice(0, 9_000),
    });
  }
  const screenshot = results.find((result) => result.screenshot)?.screenshot;
  return call('work_item_mark_passing', {
    itemId: item.id,
    evidence: {
      checks: results.map(({ name, passed, detail }) => ({ name, passed, ...(detail ? { detail } : {}) })),
      ...(screenshot ? { screenshot } : {}),
    },
  });
}

function summariseCheck(data: {
  results?: Array<{ name: string; passed: boolean; detail?: string }>;
}): string {
  const failing = (data.results ?? []).filter((result) => !result.passed);
  if (failing.length === 0) return `${data.results?.length ?? 0} checks passed`;
  return failing.map((result) => `${result.name}${result.detail ? `: ${result.detail}` : ''}`).join('; ');
}

/**
 * A bug report: reproduce it in the browser and audit the facts against the brief. A mismatch with
 * the brief is in the demo's reach — it plans a fix linked to the bug; anything else it says plainly.
 */
function analyseBug(history: readonly StoredEvent[], bug: Item): Envelope {
  const since = claimedAt(history, bug);
  const page = bug.page?.startsWith('/') ? bug.page : '/';
  const reproduction = lastCall(history, 'browser_check', since);
  if (!reproduction?.finished) {
    return call(
      'browser_check',
      { page, assertions: [], axe: true },
      `Reproducing “${bug.name}” in a browser.`,
    );
  }
  const intent = lastCall(history, 'check_intent', since);
  if (!intent?.finished) return call('check_intent');
  const audit = (intent.finished.payload.data ?? {}) as {
    passed?: boolean;
    criteria?: Array<{ name: string; passed: boolean; detail?: string }>;
  };
  const problems = (audit.criteria ?? []).filter((criterion) => !criterion.passed);
  if (problems.length > 0) {
    return call(
      'work_item_create_bulk',
      {
        items: [
          {
            itemType: 'fix',
            parentBugId: bug.id,
            name: `Fix: ${bug.name}`.slice(0, 200),
            description:
              `Reproduced: ${problems.map((problem) => problem.detail ?? problem.name).join('; ')}`.slice(
                0,
                9_000,
              ),
            page,
            steps: [
              ...problems.map((problem) => `${problem.name} passes`),
              `${page} loads without errors in the browser (the reproduction, kept as a regression check)`,
            ].slice(0, 9),
          },
        ],
      },
      `I could reproduce it: ${problems.map((problem) => problem.detail ?? problem.name).join('; ')}. Fixing it now.`,
    );
  }
  const asked = history.some(
    (event) =>
      event.type === 'pending_opened' && event.seq > since && event.payload.question?.startsWith('I checked'),
  );
  if (!asked) {
    return call('ask_user', {
      question: `I checked ${page} in a browser and every fact on the site matches your brief, so I could not reproduce “${bug.name}”. What exactly looks wrong, and what should it say instead?`,
    });
  }
  return {
    kind: 'escalate',
    reason: `“${bug.name}” needs a change the demo worker cannot make: it only repairs differences from your brief. Connect an AI model (see the configuration guide), or skip the bug on the board.`,
  };
}

function audit(history: readonly StoredEvent[], summary: WebsiteSummary): Envelope {
  const openBugs = summary.stats.bugs.total - summary.stats.bugs.resolved;
  const open = summary.stats.total - summary.stats.passing - summary.stats.byStatus.skipped;
  if (summary.unplannedSpecs.length > 0) {
    return call('go_to_stage', { stage: 'planning' }, 'You added to the plan; planning it now.');
  }
  if (openBugs > 0 || open > 0)
    return call('go_to_stage', { stage: 'build' }, 'There is new work on the board; back to building.');
  const stageEntered = [...history].reverse().find((event) => event.type === 'stage_changed')?.seq ?? 0;
  const intent = lastCall(history, 'check_intent', stageEntered);
  if (!intent?.finished) return call('check_intent', {}, 'Checking the finished site against your brief.');
  const data = (intent.finished.payload.data ?? {}) as {
    passed?: boolean;
    criteria?: Array<{ name: string; passed: boolean; detail?: string }>;
  };
  if (data.passed) {
    const pages = summary.mockup?.mockup.pages.map((page) => page.title).join(', ') ?? 'your pages';
    return {
      kind: 'final',
      summary: `Your website for ${summary.brief?.businessName ?? 'your business'} is ready: ${pages}. Every page shows your details exactly as you gave them, works on phones, and is ready for search engines. Preview it, download it, or report anything that looks wrong.`,
    };
  }
  const problems = (data.criteria ?? []).filter((criterion) => !criterion.passed);
  return {
    kind: 'escalate',
    reason: `The final check found differences from your brief: ${problems.map((problem) => problem.detail ?? problem.name).join('; ')}.`,
  };
}

/** A free-form owner message gets a plain acknowledgement with the next move. */
function withMessageReply(envelope: Envelope, history: readonly StoredEvent[]): Envelope {
  if (envelope.kind !== 'tool_call') return envelope;
  const lastMessage = [...history].reverse().find((event) => event.type === 'owner_message');
  if (!lastMessage) return envelope;
  // Only an answer that saw the message replied to it (one written meanwhile did not).
  const repliedAfter = history.some(
    (event) => event.type === 'worker_output' && (event.payload.seenSeq ?? event.seq) >= lastMessage.seq,
  );
  if (repliedAfter) return envelope;
  const reply = `Thanks for your message. As the demo worker I build from your brief; to change something on the site, report it as a bug or add a feature on the board.`;
  return { ...envelope, say: envelope.say ? `${reply} ${envelope.say}` : reply };
}
