import { create } from 'zustand';

export type InsightsTab = 'gates' | 'alarms' | 'spend' | 'models' | 'calls' | 'timeline';

/** UI-only state of the insights panel: the open tab. */
export const useInsightsUi = create<{ tab: InsightsTab; setTab: (tab: InsightsTab) => void }>((set) => ({
  tab: 'gates',
  setTab: (tab) => set({ tab }),
}));
