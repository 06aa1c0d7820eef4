import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '../brief.ts';
import {
  dentalBrief,
  photographerBrief,
  pizzeriaBrief,
  plumberBrief,
  salonBrief,
} from '../testing/briefs.ts';
import { copyFor } from './copy.ts';
import {
  addressLines,
  countryOf,
  dayNames,
  formatDays,
  formatIntervals,
  groupHours,
  mapUrl,
  normalizePhone,
  placeLine,
  socialLabel,
  telHref,
} from './facts.ts';

describe('normalizePhone', () => {
  it.each([
    ['0113 496 0123', 'GB', '+441134960123'],
    ['07700 900461', 'GB', '+447700900461'],
    ['+44 20 7946 0018', 'GB', '+442079460018'],
    ['+44 (0)20 7946 0018', undefined, '+442079460018'],
    ['0044 20 7946 0018', undefined, '+442079460018'],
    ['(512) 640-2291', 'US', '+15126402291'],
    ['1-512-640-2291', 'US', '+15126402291'],
    ['+1 514-843-2270', 'CA', '+15148432270'],
    ['075-231-4870', 'JP', '+81752314870'],
    ['06 6880 2321', 'IT', '+390668802321'],
    ['210 321 4567', 'GR', '+302103214567'],
    ['0131 496 0742 ext. 12', 'GB', '+441314960742'],
    ['0131 496 0742', undefined, '01314960742'],
  ])('%s in %s dials %s', (phone, country, expected) => {
    expect(normalizePhone(phone, country)).toBe(expected);
  });
});

describe('countryOf', () => {
  it('reads the address country in several spellings', () => {
    expect(countryOf(pizzeriaBrief)).toBe('GB');
    expect(countryOf(salonBrief)).toBe('US');
    expect(countryOf(photographerBrief)).toBe('JP');
    expect(countryOf(dentalBrief)).toBe('NZ');
  });

  it('falls back to the language region when there is no address', () => {
    expect(countryOf(plumberBrief)).toBe('GB');
    expect(countryOf({ ...plumberBrief, language: 'en' })).toBeUndefined();
    expect(countryOf({ ...plumberBrief, language: 'el' })).toBe('GR');
  });

  it('gives an E.164 tel: href for a mobile tradesperson without an address', () => {
    expect(telHref(plumberBrief)).toBe('tel:+447700900461');
  });
});

describe('addressLines', () => {
  it.each([
    [pizzeriaBrief, ['14 Call Lane', 'Leeds LS1 6DT', 'United Kingdom']],
    [salonBrief, ['1811 South Congress Avenue, Suite 4', 'Austin, TX 78704', 'United States']],
    [photographerBrief, ['〒604-8004', '京都府京都市中京区三条通河原町東入中島町 78', '日本']],
    [dentalBrief, ['Level 2, 88 Customhouse Quay', 'Wellington 6011', 'New Zealand']],
  ])('formats %#', (brief, lines) => {
    expect(addressLines(brief.contact.address!)).toEqual(lines);
  });

  it('puts the postcode first where that is the custom', () => {
    expect(
      addressLines({
        street: 'Torstraße 125',
        locality: 'Berlin',
        postalCode: '10119',
        country: 'Deutschland',
      }),
    ).toEqual(['Torstraße 125', '10119 Berlin', 'Deutschland']);
  });

  it('links to an OpenStreetMap search, never an embed', () => {
    expect(mapUrl(pizzeriaBrief.contact.address!)).toBe(
      'https://www.openstreetmap.org/search?query=14%20Call%20Lane%2C%20Leeds%20LS1%206DT%2C%20United%20Kingdom',
    );
  });
});

describe('opening hours', () => {
  const copy = copyFor(pizzeriaBrief);
  const days = dayNames('en-GB');
  const rows = (hours: OpeningHours[]) =>
    groupHours(hours).map((g) => `${formatDays(g.days, days, copy)} ${formatIntervals(g.intervals, copy)}`);

  it.each<[string, OpeningHours[], string[]]>([
    ['none', [], []],
    [
      'weekdays',
      [{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '09:00', closes: '17:00' }],
      ['Mon–Fri 09:00–17:00', 'Sat, Sun Closed'],
    ],
    [
      'split shifts and a closed Monday',
      [
        { days: ['Tu', 'We', 'Th', 'Fr', 'Sa'], opens: '17:30', closes: '22:00' },
        { days: ['Tu', 'We', 'Th', 'Fr', 'Sa'], opens: '12:00', closes: '14:30' },
        { days: ['Su'], opens: '12:00', closes: '16:00' },
      ],
      ['Mon Closed', 'Tue–Sat 12:00–14:30, 17:30–22:00', 'Sun 12:00–16:00'],
    ],
    [
      'days listed out of order and duplicated',
      [
        { days: ['Sa', 'Mo'], opens: '10:00', closes: '16:00' },
        { days: ['Mo'], opens: '10:00', closes: '16:00' },
      ],
      ['Mon 10:00–16:00', 'Tue–Fri Closed', 'Sat 10:00–16:00', 'Sun Closed'],
    ],
  ])('%s', (_name, hours, expected) => {
    expect(rows(hours)).toEqual(expected);
  });

  it('names days in the brief language', () => {
    const ja = copyFor(photographerBrief);
    const groups = groupHours(photographerBrief.hours);
    expect(
      groups.map((g) => `${formatDays(g.days, dayNames('ja'), ja)} ${formatIntervals(g.intervals, ja)}`),
    ).toEqual(['月・火 定休日', '水〜日 10:00〜18:00']);
  });
});

describe('small labels', () => {
  it.each([
    ['https://www.instagram.com/mariaspizzerialeeds', 'Instagram'],
    ['https://m.facebook.com/x', 'Facebook'],
    ['https://www.tiktok.com/@studiolumenhair', 'TikTok'],
    ['https://shop.example.org/me', 'shop.example.org'],
  ])('%s is labelled %s', (url, label) => {
    expect(socialLabel(url)).toBe(label);
  });

  it('says where the business is', () => {
    expect(placeLine(pizzeriaBrief, copyFor(pizzeriaBrief))).toBe('Leeds');
    expect(placeLine(salonBrief, copyFor(salonBrief))).toBe('Austin, TX');
    expect(placeLine(photographerBrief, copyFor(photographerBrief))).toBe('京都府京都市');
    expect(placeLine(plumberBrief, copyFor(plumberBrief))).toBe('Bristol, Bath, North Somerset …');
  });
});
