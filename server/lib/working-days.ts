/**
 * Danish working days: Monday to Friday except public holidays (helligdage). Store bededag is not a
 * holiday from 2024. Dates are calendar dates in Denmark, handled as UTC midnights.
 */

/** Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const cache = new Map<number, Set<string>>();

export function danishHolidays(year: number): Set<string> {
  let holidays = cache.get(year);
  if (!holidays) {
    const easter = easterSunday(year).getTime();
    const relative = [-3, -2, 0, 1, 39, 49, 50].map((offset) => iso(new Date(easter + offset * DAY)));
    if (year < 2024) relative.push(iso(new Date(easter + 26 * DAY)));
    holidays = new Set([`${year}-01-01`, ...relative, `${year}-12-25`, `${year}-12-26`]);
    cache.set(year, holidays);
  }
  return holidays;
}

export function isWorkingDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !danishHolidays(date.getUTCFullYear()).has(iso(date));
}

/** The calendar date in Denmark of an instant. */
export function danishDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * A deadline is a date: the last working day to act by, until the end of that day in Denmark
 * (Europe/Copenhagen). `days` working days after `from`: received on Tuesday 1 December with 2
 * days, the deadline is Thursday 3 December; on a Friday with 5 days, the next Friday.
 */
export function deadlineAfter(from: Date, days: number): string {
  let date = new Date(`${danishDate(from)}T00:00:00Z`);
  for (let added = 0; added < days; ) {
    date = new Date(date.getTime() + DAY);
    if (isWorkingDay(date)) added++;
  }
  return iso(date);
}

/** Past its deadline: the deadline day has ended in Denmark. */
export function isOverdue(dueOn: string, now: Date): boolean {
  return danishDate(now) > dueOn;
}

/** A deadline as people read it: "torsdag den 3. december 2026" / "Thursday 3 December 2026". */
export function deadlineText(dueOn: string, lang: 'da' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${dueOn}T00:00:00Z`));
}
