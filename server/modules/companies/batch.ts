import type { CompanyRecord } from './cvr-document.ts';

/** A batch of register data ready for one upsert: the jsonb parameters, already serialised. */
export interface SerializedBatch {
  /** Sorted, so concurrent batches lock rows in the same order. */
  cvrs: string[];
  /** The file line each CVR's document came from, by position in `cvrs` (empty when not from a file). */
  lines: number[];
  /** For documents from a saved search response: the hit's place in it (1-based), by position in `cvrs`; empty otherwise. */
  hits?: (number | null)[];
  /** Sorted; a batch holding a P-number an unfinished batch also holds waits for it, as for CVRs. */
  pNumbers: string[];
  companiesJson: string;
  unitsJson: string | null;
}

/**
 * Serialises records for `upsertSerialized`. Kept apart from the database code so that the import's
 * parsing thread can do it too (it is as costly as the parsing itself at national scale).
 *
 * `records` are in file order. A P-number that two companies of the batch both list has moved
 * between them: the later document keeps it, as a later batch would (one upsert cannot touch the
 * same row twice, so the earlier claim is dropped rather than failing the batch) — unless its claim
 * is the older one (`olderClaim`), as the upsert decides against a stored owner too.
 */
export function serializeBatch(records: CompanyRecord[], lines: number[] = [], hits: (number | null)[] = []): SerializedBatch {
  const lineOf = new Map(records.map((r, i) => [r.cvr, lines[i]]));
  const hitOf = new Map(records.map((r, i) => [r.cvr, hits[i] ?? null]));
  const owner = new Map<string, { cvr: string; validTo: string | null }>();
  for (const r of records) {
    for (const p of r.production_units) {
      const held = owner.get(p.p_number);
      if (!held || !olderClaim(p.valid_to, held.validTo)) owner.set(p.p_number, { cvr: r.cvr, validTo: p.valid_to });
    }
  }
  const sorted = [...records].sort((a, b) => (a.cvr < b.cvr ? -1 : 1));
  const units = sorted
    .flatMap((r) => r.production_units.filter((p) => owner.get(p.p_number)?.cvr === r.cvr).map((p) => ({ ...p, cvr: r.cvr })))
    .sort((a, b) => (a.p_number < b.p_number ? -1 : 1));
  return {
    cvrs: sorted.map((r) => r.cvr),
    lines: lines.length ? sorted.map((r) => lineOf.get(r.cvr)!) : [],
    hits: hits.length ? sorted.map((r) => hitOf.get(r.cvr)!) : [],
    pNumbers: units.map((u) => u.p_number),
    companiesJson: JSON.stringify(sorted.map(({ production_units: _p, ...r }) => r)),
    unitsJson: units.length ? JSON.stringify(units) : null,
  };
}

/**
 * Whether a claim on a P-number that ended (`validTo`) is older than the one held. The register keeps
 * a unit that moved in the former owner's document too, with its period closed on the day it moved;
 * that document may well be newer (the former owner changes its name), but must not take the unit
 * back. An open claim is the current one; of two ended ones, the later end is the last owner.
 */
export function olderClaim(validTo: string | null, heldValidTo: string | null): boolean {
  return validTo !== null && (heldValidTo === null || validTo < heldValidTo);
}
