/**
 * The chat's words for what the engine records as codes: stages, why a run paused, what an approval
 * is about, how the run's status changed. Plain language for a business owner.
 */

const stageLabels: Record<string, string> = {
  bootstrap: 'Getting to know your business',
  mockup: 'Designing the layout',
  planning: 'Planning the site',
  build: 'Building the site',
  audit: 'Checking the site against your brief',
};

export function stageLabel(stage: string): string {
  return stageLabels[stage] ?? `Moving on to ${stage.replaceAll(/[_-]+/g, ' ')}`;
}

const continuationTitles: Record<string, string> = {
  turn_cap: 'I’ve worked for a while without hearing from you',
  spend_cap: 'The spending limit for this project is reached',
  loop: 'I seem to be going round in circles',
  failures: 'Several steps failed in a row',
};

/** The plain-language heading of a continuation card, by why the run stopped. */
export function continuationTitle(reason: string | null | undefined): string {
  return continuationTitles[reason ?? ''] ?? 'I need your go-ahead to continue';
}

/** "continue" → "Continue": continuation choices as button labels. */
export function choiceLabel(choice: string): string {
  return choice.charAt(0).toUpperCase() + choice.slice(1);
}

/** The heading of an approval card, by what it is about. */
export function approvalTitle(subject: string | null | undefined): string {
  if (subject === 'brief') return 'Please review the brief';
  if (subject === 'mockup') return 'Please review the mockup';
  return subject ? `Please review: ${subject}` : 'Please review and approve';
}

/** A notice for a change of the run's status, or null when it is no news to the owner. */
export function runStatusNotice(
  status: string,
  pausedReason: string | null | undefined,
  previous: string,
): { tone: 'info' | 'warning' | 'error'; text: string } | null {
  switch (status) {
    case 'paused':
      if (pausedReason === 'user') return { tone: 'info', text: 'You paused the agent.' };
      if (pausedReason === 'rate_limited') {
        return {
          tone: 'warning',
          text: 'The AI service asked for a short break. The agent carries on by itself soon.',
        };
      }
      if (pausedReason === 'error') return { tone: 'error', text: 'The agent stopped because of an error.' };
      // Caps, loops and failures pause with a continuation card that explains them.
      return null;
    case 'running':
      return previous === 'paused' || previous === 'idle' || previous === 'failed'
        ? { tone: 'info', text: 'The agent is working again.' }
        : null;
    case 'idle':
      return previous === 'idle' || previous === 'new' ? null : { tone: 'info', text: 'The agent stopped.' };
    case 'completed':
      return { tone: 'info', text: 'All done.' };
    case 'failed':
      return { tone: 'error', text: 'The agent could not continue.' };
    default:
      return null;
  }
}
