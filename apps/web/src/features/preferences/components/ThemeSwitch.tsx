import type { ReactNode } from 'react';
import { type Theme, usePreferences } from '../store.ts';

const options: ReadonlyArray<{ theme: Theme; label: string; icon: ReactNode }> = [
  {
    theme: 'system',
    label: 'System',
    icon: (
      <>
        <rect x="3" y="4" width="18" height="12" rx="2" />
        <path d="M8 20h8M12 16v4" />
      </>
    ),
  },
  {
    theme: 'light',
    label: 'Light',
    icon: (
      <>
        <circle cx="12" cy="12" r="4" />
        <path d="M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
      </>
    ),
  },
  {
    theme: 'dark',
    label: 'Dark',
    icon: <path d="M20.5 14.1A8.5 8.5 0 1 1 9.9 3.5a7 7 0 0 0 10.6 10.6Z" />,
  },
];

/**
 * The header's colour theme control: three toggle buttons, exactly one pressed, in a group named
 * "Colour theme". On narrow screens the labels are visually hidden (see styles.css) but still name
 * the buttons.
 */
export function ThemeSwitch() {
  const theme = usePreferences((state) => state.theme);
  const setTheme = usePreferences((state) => state.setTheme);

  return (
    // A fieldset is a native `group`, named by its legend.
    <fieldset className="theme-switch">
      <legend className="visually-hidden">Colour theme</legend>
      {options.map((option) => (
        <button
          key={option.theme}
          type="button"
          className="theme-switch-option"
          aria-pressed={theme === option.theme}
          onClick={() => setTheme(option.theme)}
        >
          <svg
            className="icon"
            viewBox="0 0 24 24"
            width="16"
            height="16"
            aria-hidden="true"
            focusable="false"
          >
            {option.icon}
          </svg>
          <span className="theme-switch-label">{option.label}</span>
        </button>
      ))}
    </fieldset>
  );
}
