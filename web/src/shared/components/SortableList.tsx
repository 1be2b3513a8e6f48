/**
 * The pieces of a compact work list sorted on the server (Henvendelser, Henvisninger). The table takes
 * `kp-sort-table` (with `table--compact table--responsive-headers`) inside a ScrollRegion with
 * `kp-sort-table-scroll`; the styles are in sortable-list.css.
 */
import { Field } from './Feedback.tsx';
import type { SortDir, SortState } from '../hooks/useListParams.ts';
import './sortable-list.css';

/** A column heading that sorts the list: `aria-sort` on the sorted one tells a screen reader the order; the arrows are only for the eye. */
export function SortHeader({ label, active, dir, onSort }: { label: string; active: boolean; dir: SortDir; onSort: () => void }) {
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined} className="kp-sortable">
      <button type="button" className="button button-unstyled kp-sort-button" onClick={onSort}>
        {label}
        <span className={`kp-sort-icon${active ? ' kp-sort-icon--active' : ''}`} aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '▲▼'}
        </span>
      </button>
    </th>
  );
}

/**
 * The sort as a select for a narrow screen, where dkfds hides the table's headings (below 768 px);
 * hidden on a wider one. Every column is offered in both directions.
 */
export function SortSelect<S extends string>({
  id,
  label,
  columns,
  value,
  optionLabel,
  onChange,
}: {
  id: string;
  label: string;
  columns: readonly S[];
  value: SortState<S>;
  optionLabel: (sort: S, dir: SortDir) => string;
  onChange: (next: SortState<S>) => void;
}) {
  return (
    <div className="kp-sort-select">
      <Field id={id} label={label}>
        {(db) => (
          <select
            id={id}
            className="form-select"
            value={`${value.sort}:${value.dir}`}
            onChange={(e) => {
              const [sort, dir] = e.target.value.split(':') as [S, SortDir];
              onChange({ sort, dir });
            }}
            aria-describedby={db}
          >
            {columns.flatMap((s) =>
              (['asc', 'desc'] as const).map((d) => (
                <option key={`${s}:${d}`} value={`${s}:${d}`}>
                  {optionLabel(s, d)}
                </option>
              )),
            )}
          </select>
        )}
      </Field>
    </div>
  );
}
