import { create } from 'zustand';

export type ProjectTab = 'chat' | 'board' | 'site';

/** UI-only state of the project page: which region a phone shows. */
export const useProjectUi = create<{ tab: ProjectTab; setTab: (tab: ProjectTab) => void }>((set) => ({
  tab: 'chat',
  setTab: (tab) => set({ tab }),
}));
