import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The owner's colour theme choice; `system` follows the device's light/dark setting. */
export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/**
 * What localStorage holds, read field by field: a hand-edited, corrupt or unknown value falls back to
 * the default instead of breaking the page.
 */
const PersistedPreferences = z.object({ theme: Theme.catch('system') }).catch({ theme: 'system' });
type PersistedPreferences = z.infer<typeof PersistedPreferences>;

interface PreferencesState extends PersistedPreferences {
  setTheme: (theme: Theme) => void;
}

/**
 * `public/theme-init.js` reads this key (and the `{ state: { theme } }` shape zustand writes) before the
 * app loads, to paint the right palette first: change both together.
 */
const STORAGE_KEY = 'sitewright.preferences';
/** Bump on a breaking change to the persisted shape, and teach `migrate` the old one. */
const STORAGE_VERSION = 1;

/** UI-only preferences of this browser, kept in localStorage. */
export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      theme: 'system',
      setTheme: (theme) => set({ theme }),
    }),
    {
      name: STORAGE_KEY,
      version: STORAGE_VERSION,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ theme }) => ({ theme }),
      // Version 1 is the first: any other stored version is simply re-validated.
      migrate: (persisted) => PersistedPreferences.parse(persisted),
      merge: (persisted, current) => ({ ...current, ...PersistedPreferences.parse(persisted) }),
    },
  ),
);
