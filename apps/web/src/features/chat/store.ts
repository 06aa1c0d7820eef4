import type { ServerMessageOf } from '@sitewright/contracts';
import { create } from 'zustand';

/** What the agent is writing right now: the model's answer so far, before it reaches the log. */
export interface AgentTyping {
  turn: number;
  /** The text so far (its tail when long); empty until the first word. */
  text: string;
}

/** Notices are best effort: without one for this long, the `done` was lost and the bubble goes. */
export const TYPING_SILENCE_MS = 20_000;

interface AgentTypingState {
  /** By project id; a project the agent is not writing for has no entry. */
  byProject: Record<string, AgentTyping>;
  /** Applies one `agent_typing` notice: the text so far, or the end of it. */
  receiveTyping: (projectId: string, notice: ServerMessageOf<'agent_typing'>) => void;
  /** The turn ended (its message or question arrived, the call failed, the run stopped). */
  endTyping: (projectId: string) => void;
}

/**
 * The agent's live text, per project. Not server state in the query cache: it is never stored or
 * replayed, and a newer notice replaces it whole. Only the WS bridge writes it.
 */
export const useAgentTyping = create<AgentTypingState>((set, get) => {
  const silence = new Map<string, ReturnType<typeof setTimeout>>();

  const endTyping = (projectId: string) => {
    clearTimeout(silence.get(projectId));
    silence.delete(projectId);
    if (!(projectId in get().byProject)) return;
    set(({ byProject }) => {
      const { [projectId]: _ended, ...others } = byProject;
      return { byProject: others };
    });
  };

  return {
    byProject: {},
    receiveTyping: (projectId, { turn, text, done }) => {
      if (done) return endTyping(projectId);
      clearTimeout(silence.get(projectId));
      silence.set(
        projectId,
        setTimeout(() => endTyping(projectId), TYPING_SILENCE_MS),
      );
      set(({ byProject }) => ({ byProject: { ...byProject, [projectId]: { turn, text } } }));
    },
    endTyping,
  };
});
