import { z } from 'zod';

/**
 * PostgreSQL's `integer` (int4) holds -2 147 483 648 … 2 147 483 647. A larger number reaching an
 * integer column or a query parameter compared with one is a data exception (SQLSTATE 22003), so every
 * integer a request carries is bounded here first and a value out of range is a field error (400).
 * Zod's `.int()` alone admits every safe integer (up to 2^53 − 1).
 */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

const clamp = (min: number, max: number) => [Math.max(min, INT4_MIN), Math.min(max, INT4_MAX)] as const;

/** An integer in a JSON body that an int4 column or parameter can hold, optionally narrowed. */
export const int4 = (min: number = INT4_MIN, max: number = INT4_MAX) => {
  const [lo, hi] = clamp(min, max);
  return z.number().int().min(lo).max(hi);
};

/** The same for a path parameter or query string, which arrive as text. */
export const int4Param = (min: number = INT4_MIN, max: number = INT4_MAX) => {
  const [lo, hi] = clamp(min, max);
  return z.coerce.number().int().min(lo).max(hi);
};

/** An optimistic-lock version: a counter from 1 in an integer column. */
export const versionSchema = int4(1);

/**
 * A Danish municipality code: three digits (today 101 København … 860 Hjørring). Whether the code
 * exists is the municipalities table's answer ("Ukendt kommunekode"), as elsewhere (filters, offers).
 */
export const municipalityCodeSchema = int4(100, 999);
export const municipalityCodeParam = int4Param(100, 999);
