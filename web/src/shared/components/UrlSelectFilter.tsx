import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Field } from './Feedback.tsx';
import { PAGE_PARAM } from './Pager.tsx';

export interface SelectOption {
  value: string;
  label: string;
}

interface UrlSelectFilterProps {
  /** The query parameter the choice is kept in; '' removes it. */
  param: string;
  /** The parameter's current value, as the page understood it ('' for none). */
  value: string;
  id: string;
  label: string;
  /** The form's accessible name. */
  formLabel: string;
  submitLabel: string;
  /** In the order shown, including the one for "all" (value ''). */
  options: readonly SelectOption[];
  /** Added to `kp-filter-row`. */
  className: string;
}

/**
 * A filter form of one select, applied with a button and kept in the URL's query string (other
 * parameters stay). It starts over from the URL whenever the value there changes (back, a link).
 */
export function UrlSelectFilter(props: UrlSelectFilterProps) {
  return <SelectFilterForm key={props.value} {...props} />;
}

function SelectFilterForm({ param, value, id, label, formLabel, submitLabel, options, className }: UrlSelectFilterProps) {
  const [params, setParams] = useSearchParams();
  const [input, setInput] = useState(value);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params);
    // A new filter starts at its first page.
    next.delete(PAGE_PARAM);
    if (input) next.set(param, input);
    else next.delete(param);
    setParams(next);
  };
  return (
    <form onSubmit={onSubmit} className={`kp-filter-row ${className}`} aria-label={formLabel}>
      <Field id={id} label={label}>
        {(db) => (
          <select id={id} className="form-select" value={input} onChange={(e) => setInput(e.target.value)} aria-describedby={db}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-group kp-filter-submit">
        <button type="submit" className="button button-secondary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
