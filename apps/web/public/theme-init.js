// Sets <html data-theme> before the first paint, so a stored choice never flashes the other palette
// while the app bundle loads. An external file because the CSP allows no inline scripts. Mirrors
// src/features/preferences (storage key and shape in store.ts, resolution in apply-theme.ts), which takes
// over once the app runs.
(() => {
  let theme = 'system';
  try {
    const stored = JSON.parse(localStorage.getItem('sitewright.preferences') ?? 'null');
    const choice = stored?.state?.theme;
    if (choice === 'light' || choice === 'dark') theme = choice;
  } catch {
    // No storage (privacy mode) or a corrupt value: the store falls back to 'system' too.
  }
  if (theme === 'system') theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = theme;
})();
