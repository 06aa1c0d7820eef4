import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { Industry } from '../brief.ts';
import { Mockup } from '../mockup.ts';
import {
  briefFixtures,
  dogWalkerBrief,
  pizzeriaBrief,
  plumberBrief,
  zoesCafeBrief,
} from '../testing/briefs.ts';
import { deriveMockup, renderMockupHtml, renderWireframe } from './mockup.ts';
import { displayWidth, WIREFRAME_WIDTH } from './wireframe.ts';

describe('deriveMockup', () => {
  it.each(briefFixtures)('gives $id a valid mockup with home, offering, about and contact', ({ brief }) => {
    const mockup = deriveMockup(brief);
    expect(Mockup.parse(mockup)).toEqual(mockup);
    expect(mockup.pages.map((page) => page.slug)).toEqual(['', expect.any(String), 'about', 'contact']);
    expect(mockup.pages[0]?.sections[0]).toBe('hero');
  });

  it.each(Industry.options)('names the offering page for %s', (industry) => {
    const mockup = deriveMockup({ ...pizzeriaBrief, industry });
    const offering = mockup.pages[1]!;
    if (industry === 'restaurant' || industry === 'cafe') {
      expect(offering).toMatchObject({ slug: 'menu', nav: 'Menu', sections: ['menu', 'call_to_action'] });
    } else {
      expect(offering.sections[0]).toBe('services');
    }
  });

  it('merges hours and location into the contact page', () => {
    const contact = deriveMockup(pizzeriaBrief).pages.find((page) => page.slug === 'contact');
    expect(contact?.sections).toEqual(['contact', 'hours', 'location']);
  });

  it('leaves out the hours section when the brief has no hours', () => {
    const sections = deriveMockup(plumberBrief).pages.flatMap((page) => page.sections);
    expect(sections).not.toContain('hours');
  });

  it('picks fonts from local stacks by tone, never a web font', () => {
    const fonts = briefFixtures.map(({ brief }) => deriveMockup(brief).tokens.fonts);
    for (const { heading, body } of fonts) {
      expect(`${heading} ${body}`).not.toMatch(/url\(|@import|https?:/);
      expect(body).toMatch(/sans-serif$/);
    }
    expect(deriveMockup({ ...pizzeriaBrief, tone: 'elegant' }).tokens.fonts.heading).toMatch(/serif$/);
    expect(deriveMockup(briefFixtures.find((f) => f.id === 'photographer')!.brief).tokens.fonts.body).toMatch(
      /^"Hiragino Sans"/,
    );
  });

  it('is deterministic', () => {
    expect(deriveMockup(zoesCafeBrief)).toEqual(deriveMockup(zoesCafeBrief));
  });
});

describe('renderWireframe', () => {
  it.each(briefFixtures)('draws every page of $id within 80 columns', ({ brief }) => {
    const mockup = deriveMockup(brief);
    const wireframe = renderWireframe(brief, mockup);
    const lines = wireframe.split('\n');
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(WIREFRAME_WIDTH);
    for (const page of mockup.pages) expect(wireframe).toContain(page.title);
    expect(wireframe).toContain(brief.businessName);
    if (brief.contact.phone) expect(wireframe).toContain(brief.contact.phone);
  });

  it('shows the real facts in each section', () => {
    const wireframe = renderWireframe(pizzeriaBrief, deriveMockup(pizzeriaBrief));
    expect(wireframe).toContain('| HERO');
    expect(wireframe).toContain('• Margherita — £9.50');
    expect(wireframe).toContain('• Takeaway');
    expect(wireframe).toContain('• Tue–Fri — 12:00–14:30, 17:00–22:30');
    expect(wireframe).toContain('14 Call Lane');
  });

  it('says why a section renders nothing', () => {
    const mockup = deriveMockup(dogWalkerBrief);
    mockup.pages[0]!.sections.push('gallery', 'hours');
    const wireframe = renderWireframe(dogWalkerBrief, mockup);
    expect(wireframe).toContain('GALLERY  (needs the owner’s photos');
    expect(wireframe).toContain('OPENING HOURS  (no opening hours in the brief)');
  });
});

describe('renderMockupHtml', () => {
  const validator = new HtmlValidate({ extends: ['html-validate:recommended', 'html-validate:document'] });

  it.each(briefFixtures)('previews $id as one valid, self-contained page', async ({ brief }) => {
    const html = renderMockupHtml(brief, deriveMockup(brief));
    const report = await validator.validateString(html);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|https?:\/\/|url\(/i);
    expect(html).toContain(`lang="${brief.language}"`);
  });

  it('escapes owner text', () => {
    const html = renderMockupHtml(zoesCafeBrief, deriveMockup(zoesCafeBrief));
    expect(html).toContain("Zoë's Café &amp; Bar");
    expect(html).toContain('Coffee &amp; crêpes by day, &quot;un petit verre&quot; after six');
  });

  it('shows the contrast of each colour pair', () => {
    const html = renderMockupHtml(pizzeriaBrief, deriveMockup(pizzeriaBrief));
    expect(html).toMatch(/text \d+\.\d:1 AA/);
    expect(html).not.toContain('below AA');
  });
});
