import { describe, expect, it } from 'vitest';
import { addWorkingDays, danishHolidays, isWorkingDay } from './working-days.ts';

describe('Danish working days', () => {
  it('knows the moving holidays', () => {
    // Easter 2026 is 5 April.
    expect([...danishHolidays(2026)].sort()).toEqual(['2026-01-01', '2026-04-02', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-14', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26']);
    // Store bededag (fourth Friday after Easter) was a holiday until 2023.
    expect(danishHolidays(2023).has('2023-05-05')).toBe(true);
    expect(danishHolidays(2024).has('2024-04-26')).toBe(false);
  });

  it('skips weekends and holidays', () => {
    expect(isWorkingDay(new Date('2026-11-27T00:00:00Z'))).toBe(true); // Friday
    expect(isWorkingDay(new Date('2026-11-28T00:00:00Z'))).toBe(false); // Saturday
    expect(isWorkingDay(new Date('2026-12-25T00:00:00Z'))).toBe(false);
  });

  it('puts the deadline at Danish midnight after the last working day', () => {
    // Friday 27 Nov 2026, 10:00 in Copenhagen (CET): 5 working days → end of Friday 4 Dec.
    expect(addWorkingDays(new Date('2026-11-27T09:00:00Z'), 5).toISOString()).toBe('2026-12-04T23:00:00.000Z');
    // Over Christmas: Tue 22 Dec + 5 → 23, 24, 28, 29, 30 Dec.
    expect(addWorkingDays(new Date('2026-12-22T09:00:00Z'), 5).toISOString()).toBe('2026-12-30T23:00:00.000Z');
    // Summer time: Thu 2 Jul 2026 + 1 → end of Fri 3 Jul, 22:00 UTC.
    expect(addWorkingDays(new Date('2026-07-02T09:00:00Z'), 1).toISOString()).toBe('2026-07-03T22:00:00.000Z');
  });
});
