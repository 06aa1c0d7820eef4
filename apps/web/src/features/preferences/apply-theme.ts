import { useEffect, useSyncExternalStore } from 'react';
import { usePreferences } from './store.ts';

/** The palette actually on screen. */
export type ResolvedTheme = 'light' | 'dark';

const DARK_SCHEME_QUERY = '(prefers-color-scheme: dark)';

function subscribeToSystemScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_SCHEME_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function readSystemTheme(): ResolvedTheme {
  return window.matchMedia(DARK_SCHEME_QUERY).matches ? 'dark' : 'light';
}

/** The owner's explicit choice, or the device's current scheme while the choice is `system`. */
export function useResolvedTheme(): ResolvedTheme {
  const theme = usePreferences((state) => state.theme);
  const systemTheme = useSyncExternalStore(subscribeToSystemScheme, readSystemTheme);
  return theme === 'system' ? systemTheme : theme;
}

/**
 * Keeps `<html data-theme>` on the resolved theme, which `styles.css` keys the dark palette on. Call
 * once, in App; `public/theme-init.js` sets the same attribute before the first paint.
 */
export function useApplyTheme(): void {
  const resolvedTheme = useResolvedTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = resolvedTheme;
  }, [resolvedTheme]);
}
