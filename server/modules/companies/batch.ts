import type { CompanyRecord } from './cvr-document.ts';

/** A batch of register data ready for one upsert: the jsonb parameters, already serialised. */
export interface SerializedBatch {
  /** Sorted, so concurrent batches lock rows in the same order. */
  cvrs: string[];
  companiesJson: string;
  unitsJson: string | null;
}

/**
 * Serialises records for `upsertSerialized`. Kept apart from the database code so that the import's
 * parsing thread can do it too (it is as costly as the parsing itself at national scale).
 */
export function serializeBatch(records: CompanyRecord[]): SerializedBatch {
  const sorted = [...records].sort((a, b) => (a.cvr < b.cvr ? -1 : 1));
  const units = sorted.flatMap((r) => r.production_units.map((p) => ({ ...p, cvr: r.cvr }))).sort((a, b) => (a.p_number < b.p_number ? -1 : 1));
  return {
    cvrs: sorted.map((r) => r.cvr),
    companiesJson: JSON.stringify(sorted.map(({ production_units: _p, ...r }) => r)),
    unitsJson: units.length ? JSON.stringify(units) : null,
  };
}
