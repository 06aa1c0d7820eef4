import { describe, expect, it } from 'vitest';
import { dayLookup, intervalsIn, parseDays, timesIn } from './hours.ts';

describe('timesIn', () => {
  it.each([
    ['09:00–17:00', ['09:00', '17:00']],
    ['9:00 AM – 5:30 p.m.', ['09:00', '17:30']],
    ['12:00 pm and 12:30am', ['12:00', '00:30']],
    ['£9.50, 10:00:00, 604-8004', []],
  ])('%s', (text, times) => {
    expect(timesIn(text)).toEqual(times);
  });
});

describe('parseDays', () => {
  const en = dayLookup('en-GB');
  const ja = dayLookup('ja');

  it.each([
    ['Mon–Fri', en, ['Mo', 'Tu', 'We', 'Th', 'Fr']],
    ['Monday to Friday', en, ['Mo', 'Tu', 'We', 'Th', 'Fr']],
    ['Sat, Sun', en, ['Sa', 'Su']],
    ['Sat & Sun', en, ['Sa', 'Su']],
    ['Fri–Mon', en, ['Fr', 'Sa', 'Su', 'Mo']],
    ['水〜日', ja, ['We', 'Th', 'Fr', 'Sa', 'Su']],
    ['月・火', ja, ['Mo', 'Tu']],
    ['Lunch', en, undefined],
    ['Mon–Funday', en, undefined],
  ])('%s', (label, lookup, days) => {
    expect(parseDays(label, lookup)).toEqual(days);
  });
});

describe('intervalsIn', () => {
  it('reads every range in a cell', () => {
    expect(intervalsIn('12:00–14:30, 17:00 - 22:30')).toEqual([
      { opens: '12:00', closes: '14:30' },
      { opens: '17:00', closes: '22:30' },
    ]);
    expect(intervalsIn('10:00〜18:00')).toEqual([{ opens: '10:00', closes: '18:00' }]);
    expect(intervalsIn('Closed')).toEqual([]);
  });
});
