/**
 * Workplaces per municipality from a Danmarks Statistik StatBank export (e.g. ERHV2, "Arbejdssteder og
 * job efter område, branche (DB07 10-grp), enhed og tid"), as the StatBank saves it as CSV:
 * semicolon-separated, in Windows-1252 or UTF-8 (with or without BOM), title and unit lines first,
 * then a header line of time labels after the dimension columns, then one line per combination with
 * the area name ("Aalborg") among the labels — left blank where it repeats the line above — and the
 * values last; notes may follow. The API's CSV form (`OMRÅDE;TID;INDHOLD`) reads the same way.
 */

export interface StatbankTable {
  /** The table's title line, e.g. "ERHV2: Arbejdssteder og job efter område, …". */
  title: string | null;
  /** The time label of the values read (the last column), e.g. "2019". */
  period: string | null;
  /** Workplaces by municipality code. */
  values: Map<number, number>;
}

export class StatbankError extends Error {
  constructor(
    readonly key: 'statbank.empty' | 'statbank.ambiguous' | 'statbank.noMunicipalities',
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the StatBank's default for CSV); a BOM is dropped. */
export function decodeStatbank(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

function fieldsOf(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      current += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ';' && !quoted) {
      fields.push(current.trim());
      current = '';
    } else current += ch;
  }
  fields.push(current.trim());
  return fields;
}

/** A StatBank value: digits, perhaps with thousands points or spaces; ".." (not available) is none. */
function numberOf(field: string): number | null {
  const compact = field.replace(/[\s\u00A0]/g, '');
  if (/^\d+$/.test(compact)) return Number(compact);
  if (/^\d{1,3}(\.\d{3})+$/.test(compact)) return Number(compact.replace(/\./g, ''));
  return null;
}

const normalise = (name: string) =>
  name
    .toLowerCase()
    .replace(/\s+kommune$/, '')
    .replace(/^\d{3}\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Reads the export against the municipalities known to Knudepunkt (by name); areas that are no
 * municipality ("Hele landet", "Region Nordjylland") are passed over. A municipality given two
 * different values (an export of several industries or units) is refused: which one is meant?
 */
export function parseStatbankWorkplaces(text: string, municipalities: readonly { code: number; name: string }[]): StatbankTable {
  const byName = new Map(municipalities.map((m) => [normalise(m.name), m.code]));
  const lines = text.split(/\r?\n/).map(fieldsOf);
  if (lines.every((f) => f.every((x) => x === ''))) throw new StatbankError('statbank.empty');
  let title: string | null = null;
  let period: string | null = null;
  const values = new Map<number, number>();
  let previousArea: number | null = null;
  for (const fields of lines) {
    const nonEmpty = fields.filter((f) => f !== '');
    if (nonEmpty.length === 0) continue;
    const value = numberOf(fields.at(-1)!);
    if (value === null) {
      // A title line (one text), or the header with the time labels last.
      if (title === null && nonEmpty.length === 1 && fields.length <= 2 && !/^\d{4}/.test(nonEmpty[0]!)) title = nonEmpty[0]!;
      else if (fields.length > 1 && /^\d{4}/.test(fields.at(-1)!)) period = fields.at(-1)!;
      previousArea = fields[0] === '' ? previousArea : null;
      continue;
    }
    const labels = fields.slice(0, -1);
    // The header line of the web export: no labels, the time last (`;;;"2019"`).
    if (labels.every((l) => l === '') && previousArea === null && /^(19|20)\d\d$/.test(fields.at(-1)!)) {
      period = fields.at(-1)!;
      continue;
    }
    const area: number | null | undefined = labels.map((l) => byName.get(normalise(l))).find((c) => c !== undefined) ?? (labels[0] === '' ? previousArea : null);
    // The API's form carries the time in a column of its own.
    const timeLabel = labels.find((l) => /^\d{4}(K\d|M\d\d)?$/.test(l));
    if (timeLabel) period = timeLabel;
    if (area === null || area === undefined) {
      previousArea = null;
      continue;
    }
    previousArea = area;
    const seen = values.get(area);
    if (seen !== undefined && seen !== value) throw new StatbankError('statbank.ambiguous', { municipality: municipalities.find((m) => m.code === area)!.name });
    values.set(area, value);
  }
  if (values.size === 0) throw new StatbankError('statbank.noMunicipalities');
  return { title, period, values };
}
