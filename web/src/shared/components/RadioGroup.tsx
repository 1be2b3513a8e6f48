/** A set of radio buttons with its legend and field error, as the design system lays them out. */
export function RadioGroup({
  name,
  legend,
  value,
  onChange,
  options,
  error,
}: {
  name: string;
  legend: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string;
}) {
  const errorId = error ? `${name}-error` : undefined;
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <fieldset aria-describedby={errorId}>
        <legend className="form-label">{legend}</legend>
        {error && (
          <span className="form-error-message" id={errorId}>
            {error}
          </span>
        )}
        {options.map((o) => (
          <div className="form-group-radio" key={o.value}>
            <input type="radio" className="form-radio" id={`${name}-${o.value}`} name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <label className="form-label" htmlFor={`${name}-${o.value}`}>
              {o.label}
            </label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
