/**
 * The target split of a match project (001 5.1.4.1), as pure functions: the municipal part split by
 * share of workplaces with the largest-remainder method, so the municipal targets add up to the
 * municipal part exactly; municipalities left out by the project's rule get none; a target set by hand
 * is kept and the rest is split between the others. The credit of a shared match by the project's rule.
 */
import type { CreditRule } from './schema.ts';

export interface MunicipalityInput {
  code: number;
  name: string;
  workplaces: number;
  targetOverride: number | null;
}

export interface MunicipalitySplit {
  code: number;
  name: string;
  workplaces: number;
  /** Share of the workplaces of the municipalities in the split (0–1); 0 for one left out. */
  share: number;
  target: number;
  overridden: boolean;
  excluded: boolean;
}

export class SplitError extends Error {
  constructor(
    readonly key: 'matchProject.overridesExceed' | 'matchProject.noWorkplaces',
    readonly params: Record<string, number> = {},
  ) {
    super(key);
  }
}

/**
 * Splits `total` between `municipalities`. Excluded ones get 0 whatever their figures; overridden
 * ones get their override; the rest of the total goes to the others in proportion to their
 * workplaces, each the floor of its quota and the units left over to the largest remainders (ties:
 * more workplaces first, then the lower code), so the targets always add up to `total`.
 */
export function splitMunicipalTarget(total: number, municipalities: readonly MunicipalityInput[], excluded: ReadonlySet<number>): MunicipalitySplit[] {
  const inSplit = municipalities.filter((m) => !excluded.has(m.code));
  const fixed = inSplit.filter((m) => m.targetOverride !== null);
  const free = inSplit.filter((m) => m.targetOverride === null);
  const fixedSum = fixed.reduce((s, m) => s + m.targetOverride!, 0);
  const remaining = total - fixedSum;
  if (remaining < 0) throw new SplitError('matchProject.overridesExceed', { total, overrides: fixedSum });
  const freeWorkplaces = free.reduce((s, m) => s + m.workplaces, 0);
  if (remaining > 0 && freeWorkplaces === 0) throw new SplitError('matchProject.noWorkplaces', { remaining });
  // Exact integer arithmetic: quota_i = remaining × w_i / W, as floor and remainder numerator.
  const quotas = free.map((m) => {
    const numerator = remaining * m.workplaces;
    const remainder = freeWorkplaces === 0 ? 0 : numerator % freeWorkplaces;
    return { m, floor: freeWorkplaces === 0 ? 0 : (numerator - remainder) / freeWorkplaces, remainder };
  });
  let left = remaining - quotas.reduce((s, q) => s + q.floor, 0);
  const order = [...quotas].sort((a, b) => b.remainder - a.remainder || b.m.workplaces - a.m.workplaces || a.m.code - b.m.code);
  const extra = new Set<number>();
  for (const q of order) {
    if (left === 0) break;
    extra.add(q.m.code);
    left -= 1;
  }
  const allWorkplaces = inSplit.reduce((s, m) => s + m.workplaces, 0);
  const targetOf = new Map(quotas.map((q) => [q.m.code, q.floor + (extra.has(q.m.code) ? 1 : 0)]));
  return municipalities.map((m) => {
    const isExcluded = excluded.has(m.code);
    return {
      code: m.code,
      name: m.name,
      workplaces: m.workplaces,
      share: isExcluded || allWorkplaces === 0 ? 0 : m.workplaces / allWorkplaces,
      target: isExcluded ? 0 : (m.targetOverride ?? targetOf.get(m.code) ?? 0),
      overridden: !isExcluded && m.targetOverride !== null,
      excluded: isExcluded,
    };
  });
}

/**
 * Each helping partner's credit for one match, partners in order (the registering one first): equal
 * fractions under `split`, all of it to the first under `first`. The credits add up to 1.
 */
export function creditOf(rule: CreditRule, partnerIds: readonly string[]): Map<string, number> {
  if (partnerIds.length === 0) return new Map();
  if (rule === 'first') return new Map([[partnerIds[0]!, 1]]);
  return new Map(partnerIds.map((id) => [id, 1 / partnerIds.length]));
}

/** The calendar quarter of an ISO date, e.g. `2021-Q3`. */
export const quarterOf = (isoDate: string) => `${isoDate.slice(0, 4)}-Q${Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1}`;
