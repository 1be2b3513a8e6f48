import { describe, expect, it } from 'vitest';
import { danishHolidays, deadlineAfter, deadlineText, isOverdue, isWorkingDay } from './working-days.ts';

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

  it('makes the deadline the last working day, counted from the Danish date received', () => {
    // Received Tuesday 1 December 2026 with 2 working days: Thursday 3 December (not Friday 4).
    expect(deadlineAfter(new Date('2026-12-01T10:00:00Z'), 2)).toBe('2026-12-03');
    // Friday 27 Nov 2026, 10:00 in Copenhagen: 5 working days → Friday 4 Dec, over the weekend.
    expect(deadlineAfter(new Date('2026-11-27T09:00:00Z'), 5)).toBe('2026-12-04');
    // Friday evening counts as Friday; Saturday counts as the weekend (no day is gained).
    expect(deadlineAfter(new Date('2026-11-27T22:30:00Z'), 1)).toBe('2026-11-30'); // 23:30 Friday in Copenhagen
    expect(deadlineAfter(new Date('2026-11-28T10:00:00Z'), 1)).toBe('2026-11-30');
    // 23:30 UTC on Monday is already Tuesday in Copenhagen.
    expect(deadlineAfter(new Date('2026-11-30T23:30:00Z'), 1)).toBe('2026-12-02');
    // Christmas: Tue 22 Dec + 5 → 23, 24, 28, 29, 30 Dec (25, 26 and the weekend are not counted).
    expect(deadlineAfter(new Date('2026-12-22T09:00:00Z'), 5)).toBe('2026-12-30');
    // New Year: Wed 30 Dec + 2 → 31 Dec, then Monday 4 Jan 2027 (1 Jan is a holiday).
    expect(deadlineAfter(new Date('2026-12-30T09:00:00Z'), 2)).toBe('2027-01-04');
    // Easter 2027 (28 March): Wed 24 Mar + 2 → Thu 25 Mar (Skærtorsdag) and Fri 26 Mar (Langfredag) and
    // Mon 29 Mar (2. påskedag) are holidays → Tuesday 30 and Wednesday 31 March.
    expect(deadlineAfter(new Date('2027-03-24T09:00:00Z'), 2)).toBe('2027-03-31');
    // Summer time, Thursday 2 Jul 2026 + 1 → Friday 3 Jul.
    expect(deadlineAfter(new Date('2026-07-02T09:00:00Z'), 1)).toBe('2026-07-03');
  });

  it('is overdue only once the deadline day has ended in Copenhagen', () => {
    expect(isOverdue('2026-12-03', new Date('2026-12-03T22:59:59Z'))).toBe(false); // 23:59:59 on the day (CET)
    expect(isOverdue('2026-12-03', new Date('2026-12-03T23:00:00Z'))).toBe(true); // midnight after it
    expect(isOverdue('2026-07-03', new Date('2026-07-03T21:59:59Z'))).toBe(false); // summer time (CEST)
    expect(isOverdue('2026-07-03', new Date('2026-07-03T22:00:00Z'))).toBe(true);
  });
});

describe('a deadline as text', () => {
  it('names the weekday and the date in Danish and English', () => {
    expect(deadlineText('2026-12-03', 'da')).toBe('torsdag den 3. december 2026');
    expect(deadlineText('2026-12-03', 'en')).toBe('Thursday, 3 December 2026');
  });
});
