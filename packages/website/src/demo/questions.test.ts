import { describe, expect, it } from 'vitest';
import { parseAnswer, parseHours, questionFor, questionKeyOf, questionText } from './questions.ts';

describe('the brief interview', () => {
  it.each([
    ['Mon–Fri 09:00–17:00', [{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '09:00', closes: '17:00' }]],
    ['Sat 10-14', [{ days: ['Sa'], opens: '10:00', closes: '14:00' }]],
    [
      'Tue–Sun 12:00–22:00',
      [{ days: ['Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'], opens: '12:00', closes: '22:00' }],
    ],
    ['Fri–Mon 6pm to 11pm', [{ days: ['Mo', 'Fr', 'Sa', 'Su'], opens: '18:00', closes: '23:00' }]],
    [
      'Mo, We 9:30-17:00; Sa 10:00-14:00',
      [
        { days: ['Mo', 'We'], opens: '09:30', closes: '17:00' },
        { days: ['Sa'], opens: '10:00', closes: '14:00' },
      ],
    ],
    ['By appointment only', []],
    ['whenever', null],
    ['Mon 25:00-26:00', null],
  ])('reads hours %j', (text, expected) => {
    expect(parseHours(text)).toEqual(expected);
  });

  it('reads an address, a service area, and refuses half an address', () => {
    expect(parseAnswer('location', '14 Call Lane, Leeds, LS1 6DT, United Kingdom', {})).toEqual({
      ok: true,
      value: {
        contact: {
          address: {
            street: '14 Call Lane',
            locality: 'Leeds',
            postalCode: 'LS1 6DT',
            country: 'United Kingdom',
          },
        },
      },
    });
    expect(parseAnswer('location', 'Area: Leeds, Bradford', {})).toEqual({
      ok: true,
      value: { contact: { serviceArea: ['Leeds', 'Bradford'] } },
    });
    expect(parseAnswer('location', 'Leeds', {}).ok).toBe(false);
  });

  it('needs a phone or an email, and recognises industries from free text', () => {
    expect(parseAnswer('email', 'none', {}).ok).toBe(false);
    expect(parseAnswer('email', 'none', { contact: { phone: '0113 496 0123' } })).toEqual({
      ok: true,
      value: {},
    });
    expect(parseAnswer('phone', 'call me maybe', {}).ok).toBe(false);
    expect(parseAnswer('industry', 'We fix boilers and do plumbing', {})).toEqual({
      ok: true,
      value: { industry: 'trades' },
    });
    expect(parseAnswer('industry', 'Café', {})).toEqual({ ok: true, value: { industry: 'cafe' } });
    expect(parseAnswer('services', 'Haircut – £25\nColour', {})).toEqual({
      ok: true,
      value: { services: [{ name: 'Haircut', price: '£25' }, { name: 'Colour' }] },
    });
    expect(parseAnswer('colour', 'Ocean blue (#1565C0)', {})).toEqual({
      ok: true,
      value: { colors: { primary: '#1565c0' } },
    });
  });

  it('matches asked questions back to their key, also when re-asked with a problem', () => {
    const asked = questionFor('hours', { projectName: 'X', industry: 'salon' }, 'write days and times.');
    expect(asked.text.startsWith("I couldn't use that answer")).toBe(true);
    expect(questionKeyOf(asked.text)).toBe('hours');
    expect(asked.options?.[0]).toBe('Tue–Sat 09:00–18:00');
    expect(questionKeyOf(questionText.name)).toBe('name');
    expect(questionKeyOf('Something else entirely?')).toBeNull();
  });
});
