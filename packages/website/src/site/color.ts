/**
 * Colour arithmetic for design tokens: WCAG 2.x relative luminance and contrast, mixing, and nudging a
 * colour until a text pair is readable. Colours are `#rrggbb` strings throughout.
 */

/** WCAG AA minimum for normal-size text. */
export const AA_TEXT = 4.5;

const WHITE = '#ffffff';
const BLACK = '#000000';

type Rgb = readonly [number, number, number];

function parseHex(color: string): Rgb {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match?.[1]) throw new Error(`not a #rrggbb colour: ${color}`);
  const value = Number.parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: Rgb): string {
  const channel = (c: number) =>
    Math.round(Math.min(255, Math.max(0, c)))
      .toString(16)
      .padStart(2, '0');
  return `#${channel(r)}${channel(g)}${channel(b)}`;
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function relativeLuminance(color: string): number {
  const [r, g, b] = parseHex(color).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours, 1 … 21 (order does not matter). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `a` blended towards `b` by `amount` (0 = a, 1 = b), in sRGB. */
export function mix(a: string, b: string, amount: number): string {
  const [ar, ag, ab] = parseHex(a);
  const [br, bg, bb] = parseHex(b);
  return toHex([ar + (br - ar) * amount, ag + (bg - ag) * amount, ab + (bb - ab) * amount]);
}

/**
 * The text colour to use on `background`: white or `dark` (near-black by default), whichever
 * contrasts more. It may still be below AA for mid-luminance backgrounds; see `ensureReadableFill`.
 */
export function readableOn(background: string, dark = '#111111'): string {
  return contrastRatio(background, WHITE) >= contrastRatio(background, dark) ? WHITE : dark;
}

/**
 * `color` moved towards black or white (whichever direction raises the contrast) in small steps until
 * it reaches `min` against every colour in `against`. Returns `color` itself when it already passes.
 */
export function ensureContrast(color: string, against: readonly string[], min = AA_TEXT): string {
  const passes = (c: string) => against.every((bg) => contrastRatio(c, bg) >= min);
  if (passes(color)) return color;
  const meanLuminance = against.reduce((sum, bg) => sum + relativeLuminance(bg), 0) / against.length;
  const target = meanLuminance > 0.18 ? BLACK : WHITE;
  for (let step = 1; step <= 50; step++) {
    const candidate = mix(color, target, step / 50);
    if (passes(candidate)) return candidate;
  }
  return target;
}

/**
 * A fill colour and its text colour that meet AA together: the fill is kept when white or `dark` text
 * already reaches 4.5:1 on it, and is otherwise darkened (for white text) or lightened (for dark text)
 * just enough.
 */
export function ensureReadableFill(fill: string, dark = '#111111'): { fill: string; on: string } {
  const on = readableOn(fill, dark);
  if (contrastRatio(fill, on) >= AA_TEXT) return { fill, on };
  return { fill: ensureContrast(fill, [on]), on };
}
