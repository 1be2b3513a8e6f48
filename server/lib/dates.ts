import { z } from 'zod';

/**
 * A calendar date YYYY-MM-DD that exists (one check, so a bad value gives one message). Year 0000
 * exists for JavaScript but not for PostgreSQL (SQLSTATE 22008), so years run from 0001.
 */
export const isoDate = z.string().refine(
  (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v.startsWith('0000')) return false;
    const date = new Date(`${v}T00:00:00Z`);
    // 2025-02-30 parses as 2 March; only a date that round-trips exists.
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
  },
  { message: 'invalidFormat' },
);
