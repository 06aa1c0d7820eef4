import { create } from 'zustand';

/** Which of the board's dialogs is open, and on which project (another project's board shows none). */
export type BoardDialog =
  | { kind: 'feature'; projectId: string }
  | { kind: 'bug'; projectId: string }
  | { kind: 'card'; projectId: string; itemId: number };

/** UI-only state of the board: the open dialog. */
export const useBoardUi = create<{
  dialog: BoardDialog | null;
  open: (dialog: BoardDialog) => void;
  close: () => void;
}>((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
