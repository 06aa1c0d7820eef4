import { describe, expect, it } from 'vitest';
import { briefFixtures } from '../testing/briefs.ts';
import { AA_TEXT, contrastRatio, ensureContrast, ensureReadableFill, mix, readableOn } from './color.ts';
import { deriveMockup } from './mockup.ts';
import { textPairs, themeColors } from './theme.ts';

describe('contrastRatio', () => {
  it.each([
    ['#ffffff', '#000000', 21],
    ['#000000', '#ffffff', 21],
    ['#777777', '#777777', 1],
    ['#767676', '#ffffff', 4.54],
    ['#777777', '#ffffff', 4.48],
    ['#1f6feb', '#ffffff', 4.63],
  ])('%s on %s is %d:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
  });

  it('rejects colours that are not #rrggbb', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/#rrggbb/);
  });
});

describe('readableOn', () => {
  it.each([
    ['#b3261e', '#ffffff'],
    ['#1d4e89', '#ffffff'],
    ['#e9c46a', '#111111'],
    ['#ffffff', '#111111'],
    ['#ff8a00', '#111111'],
  ])('puts %s text on %s', (background, text) => {
    expect(readableOn(background)).toBe(text);
  });
});

describe('ensureReadableFill', () => {
  it('keeps a fill that already reaches AA', () => {
    expect(ensureReadableFill('#b3261e')).toEqual({ fill: '#b3261e', on: '#ffffff' });
  });

  it('moves a mid-luminance fill until its text reaches AA', () => {
    // #3c8dbc: white text 3.6:1, near-black 5.0:1 — but a mid grey-blue like #5a8cb4 fails both.
    const { fill, on } = ensureReadableFill('#5a8cb4', '#222222');
    expect(contrastRatio(fill, on)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(fill).not.toBe('#5a8cb4');
  });
});

describe('ensureContrast', () => {
  it('darkens text until it passes on every background', () => {
    const text = ensureContrast('#999999', ['#ffffff', '#f4f4f4']);
    expect(contrastRatio(text, '#ffffff')).toBeGreaterThanOrEqual(AA_TEXT);
    expect(contrastRatio(text, '#f4f4f4')).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it('lightens text on a dark background', () => {
    const text = ensureContrast('#555555', ['#111111']);
    expect(contrastRatio(text, '#111111')).toBeGreaterThanOrEqual(AA_TEXT);
    expect(text > '#555555').toBe(true);
  });
});

/** A spread of owner colours: every 20° of hue at several lightnesses, plus the extremes. */
function colourSweep(): string[] {
  const colours = ['#000000', '#ffffff', '#808080', '#ffff00', '#00ffff', '#ff00ff'];
  for (let hue = 0; hue < 360; hue += 20) {
    for (const lightness of [0.2, 0.4, 0.5, 0.6, 0.8, 0.95]) {
      const a = Math.min(lightness, 1 - lightness);
      const channel = (n: number) => {
        const k = (n + hue / 30) % 12;
        const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
        return Math.round(value * 255)
          .toString(16)
          .padStart(2, '0');
      };
      colours.push(`#${channel(0)}${channel(8)}${channel(4)}`);
    }
  }
  return colours;
}

describe('design tokens', () => {
  const base = briefFixtures[0]!.brief;

  it.each(colourSweep())('every text pair reaches AA for primary %s', (primary) => {
    const accent = mix(primary, '#00ff88', 0.5);
    const mockup = deriveMockup({ ...base, colors: { primary, accent } });
    for (const pair of textPairs(themeColors(mockup.tokens))) {
      expect(
        contrastRatio(pair.fg, pair.bg),
        `${pair.name}: ${pair.fg} on ${pair.bg}`,
      ).toBeGreaterThanOrEqual(AA_TEXT);
    }
    expect(
      contrastRatio(mockup.tokens.colors.primary, mockup.tokens.colors.onPrimary),
    ).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it('repairs tokens edited into unreadable pairs', () => {
    const mockup = deriveMockup(base);
    const edited = {
      ...mockup.tokens,
      colors: {
        ...mockup.tokens.colors,
        text: '#dddddd',
        muted: '#eeeeee',
        onPrimary: mockup.tokens.colors.primary,
      },
    };
    for (const pair of textPairs(themeColors(edited))) {
      expect(contrastRatio(pair.fg, pair.bg), pair.name).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it("keeps the owner's primary colour when it already works as a fill", () => {
    for (const { brief } of briefFixtures) {
      const { primary, onPrimary } = deriveMockup(brief).tokens.colors;
      if (contrastRatio(brief.colors.primary, onPrimary) >= AA_TEXT)
        expect(primary).toBe(brief.colors.primary);
    }
  });
});
