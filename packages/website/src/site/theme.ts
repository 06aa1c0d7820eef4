/**
 * Design tokens from a brief (the owner's colours and tone) and the full colour set the stylesheet
 * uses. Every text/background pair the generated pages use is checked here, so the site meets WCAG AA
 * contrast whatever colours the owner picked — and whatever tokens an edited mockup carries.
 */
import type { Brief, Tone } from '../brief.ts';
import type { DesignTokens } from '../mockup.ts';
import { AA_TEXT, contrastRatio, ensureContrast, ensureReadableFill, mix } from './color.ts';

const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
const SERIF =
  '"Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "Noto Serif", serif';
const ROUNDED = `ui-rounded, "SF Pro Rounded", "Arial Rounded MT Bold", "Varela Round", Nunito, ${SANS}`;
const GROTESK = '"Avenir Next", Avenir, "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif';

/** Local font stacks only: the site never downloads a font. */
const FONTS_BY_TONE: Record<Tone, { heading: string; body: string }> = {
  friendly: { heading: ROUNDED, body: SANS },
  playful: { heading: ROUNDED, body: SANS },
  professional: { heading: SANS, body: SANS },
  elegant: { heading: SERIF, body: SANS },
  bold: { heading: GROTESK, body: SANS },
};

/** Scripts whose Latin-first stacks would fall back to an arbitrary font; their own faces go first. */
const SCRIPT_FONTS: Record<string, { sans: string; serif: string }> = {
  ja: {
    sans: '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", YuGothic, Meiryo, "Noto Sans JP"',
    serif: '"Hiragino Mincho ProN", "Yu Mincho", YuMincho, "Noto Serif JP"',
  },
  zh: {
    sans: '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans SC"',
    serif: '"Songti SC", SimSun, "Noto Serif SC"',
  },
  ko: {
    sans: '"Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR"',
    serif: '"AppleMyungjo", Batang, "Noto Serif KR"',
  },
};

const RADIUS_BY_TONE: Record<Tone, number> = {
  friendly: 14,
  playful: 20,
  professional: 8,
  elegant: 2,
  bold: 4,
};

function fontsFor(tone: Tone, language: string): { heading: string; body: string } {
  const fonts = FONTS_BY_TONE[tone];
  const script = SCRIPT_FONTS[language.toLowerCase().split('-')[0] ?? ''];
  if (!script) return fonts;
  const withScript = (stack: string) => `${stack === SERIF ? script.serif : script.sans}, ${stack}`;
  return { heading: withScript(fonts.heading), body: withScript(fonts.body) };
}

/** Tokens from the owner's colours and tone; every text pair they imply reaches AA (4.5:1). */
export function deriveTokens(brief: Brief): DesignTokens {
  const brand = brief.colors.primary.toLowerCase();
  const background = mix('#ffffff', brand, 0.035);
  const surface = '#ffffff';
  const text = ensureContrast(mix(brand, '#0c0c10', 0.9), [background, surface], 12);
  const muted = ensureContrast(mix(text, background, 0.38), [background, surface, tintOf(background, brand)]);
  const { fill: primary, on: onPrimary } = ensureReadableFill(brand, text);
  const accent = (brief.colors.accent ?? mix(brand, '#ffffff', 0.78)).toLowerCase();
  return {
    colors: { primary, onPrimary, accent, background, surface, text, muted },
    fonts: fontsFor(brief.tone, brief.language),
    radius: RADIUS_BY_TONE[brief.tone],
  };
}

function tintOf(background: string, primary: string): string {
  return mix(background, primary, 0.09);
}

/** Every colour the stylesheet uses, derived from tokens and repaired where a pair would miss AA. */
export interface ThemeColors {
  primary: string;
  onPrimary: string;
  /** The primary colour as text (links, headings) on the light backgrounds. */
  primaryInk: string;
  accent: string;
  onAccent: string;
  background: string;
  surface: string;
  /** A light brand-tinted band background. */
  tint: string;
  text: string;
  muted: string;
  border: string;
  /** Footer: a dark band built from the text colour. */
  dark: string;
  onDark: string;
  mutedOnDark: string;
}

export function themeColors(tokens: DesignTokens): ThemeColors {
  const { background, surface } = tokens.colors;
  const tint = tintOf(background, tokens.colors.primary);
  const lights = [background, surface, tint];
  const text = ensureContrast(tokens.colors.text, lights);
  const muted = ensureContrast(tokens.colors.muted, lights);
  const primaryPair =
    contrastRatio(tokens.colors.primary, tokens.colors.onPrimary) >= AA_TEXT
      ? { fill: tokens.colors.primary, on: tokens.colors.onPrimary }
      : ensureReadableFill(tokens.colors.primary, text);
  const accentPair = ensureReadableFill(tokens.colors.accent, text);
  const dark = ensureContrast(text, [background], 12);
  return {
    primary: primaryPair.fill,
    onPrimary: primaryPair.on,
    primaryInk: ensureContrast(primaryPair.fill, lights),
    accent: accentPair.fill,
    onAccent: accentPair.on,
    background,
    surface,
    tint,
    text,
    muted,
    border: mix(background, text, 0.16),
    dark,
    onDark: background,
    mutedOnDark: ensureContrast(mix(background, dark, 0.3), [dark]),
  };
}

/** The text/background pairs the stylesheet uses, for tests and the mockup's contrast report. */
export function textPairs(colors: ThemeColors): Array<{ name: string; fg: string; bg: string }> {
  return [
    { name: 'text on background', fg: colors.text, bg: colors.background },
    { name: 'text on surface', fg: colors.text, bg: colors.surface },
    { name: 'text on tint', fg: colors.text, bg: colors.tint },
    { name: 'muted on background', fg: colors.muted, bg: colors.background },
    { name: 'muted on surface', fg: colors.muted, bg: colors.surface },
    { name: 'muted on tint', fg: colors.muted, bg: colors.tint },
    { name: 'links on background', fg: colors.primaryInk, bg: colors.background },
    { name: 'links on surface', fg: colors.primaryInk, bg: colors.surface },
    { name: 'links on tint', fg: colors.primaryInk, bg: colors.tint },
    { name: 'text on primary', fg: colors.onPrimary, bg: colors.primary },
    { name: 'text on accent', fg: colors.onAccent, bg: colors.accent },
    { name: 'footer text', fg: colors.onDark, bg: colors.dark },
    { name: 'footer muted text', fg: colors.mutedOnDark, bg: colors.dark },
  ];
}
