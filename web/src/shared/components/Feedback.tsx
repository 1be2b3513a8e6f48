import { useEffect, useRef, type MouseEvent, type ReactNode, type RefObject } from 'react';
import { useLocation } from 'react-router';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';

/** Sets the document title for the current page. */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  const appName = t('app.name');
  useEffect(() => {
    document.title = title && title !== appName ? `${title} – ${appName}` : appName;
  }, [title, appName]);
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="spinner-status my-5" role="status">
      <div className="spinner" aria-hidden="true" />
      <span className="ml-3">{t('common.loading')}</span>
    </div>
  );
}

export function ErrorAlert({ error, heading }: { error: unknown; heading?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const detail = error instanceof ApiError ? error.problem.detail || error.message : t('common.errorGeneric');
  // A server fault: the id finds its log line when a user reports it (or sends a screenshot).
  const reference = error instanceof ApiError && error.status >= 500 ? error.problem.requestId : undefined;
  return (
    <div className="alert alert-error my-5" role="alert">
      <div className="alert-body">
        <p className="alert-heading"><strong>{heading ?? t('common.error')}</strong></p>
        <p className="alert-text">{detail}</p>
        {reference && <p className="alert-text">{t('common.errorReference', { id: reference })}</p>}
      </div>
    </div>
  );
}

/**
 * A success message. With `focusKey` it takes focus when shown and each time the key changes (bump a
 * counter on every successful submit), so a keyboard or screen reader user lands on the result.
 */
export function SuccessAlert({ children, focusKey }: { children: ReactNode; focusKey?: boolean | number }) {
  const ref = useAutoFocus<HTMLDivElement>(focusKey ?? false);
  return (
    <div className="alert alert-success my-5 kp-success" role="status" ref={ref} tabIndex={focusKey === undefined ? undefined : -1}>
      <div className="alert-body">
        <p className="alert-text">{children}</p>
      </div>
    </div>
  );
}

export function InfoAlert({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-info my-5">
      <div className="alert-body">
        <p className="alert-text">{children}</p>
      </div>
    </div>
  );
}

/**
 * Focuses the element whenever `trigger` is truthy: on mount, and again each time it changes. A
 * boolean moves focus to a heading when a view replaces another; a counter bumped on every failed
 * submit re-focuses an error summary, also one that is already shown.
 */
export function useAutoFocus<E extends HTMLElement>(trigger: boolean | number): RefObject<E | null> {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (trigger) ref.current?.focus();
  }, [trigger]);
  return ref;
}

/**
 * Navigation state that asks the page navigated to to focus its main heading once it shows:
 * `navigate(to, { state: focusHeading })` (or `<Navigate state={focusHeading} />`) after a submit
 * that opens another page (sign-in, "create" → the new record's page). `HeadingFocusOnArrival`
 * (rendered once in App.tsx) does the focusing; pages need nothing of their own.
 */
export const focusHeading = { focus: 'heading' } as const;

/** Whether a location's state asks for the heading to be focused (see `focusHeading`). */
export function wantsHeadingFocus(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as { focus?: unknown }).focus === 'heading';
}

/**
 * After a navigation with `focusHeading` in its state, moves focus to the page's main heading (the
 * first h1 in <main>, made focusable with tabindex -1) as soon as the page shows it: at once, or when
 * the page has loaded. It waits only until then, until the next navigation, or until the user moves
 * focus themself.
 */
export function HeadingFocusOnArrival() {
  const location = useLocation();
  const wanted = wantsHeadingFocus(location.state);
  useEffect(() => {
    if (!wanted) return;
    const main = document.querySelector('main') ?? document.body;
    const before = document.activeElement;
    const focus = () => {
      const heading = main.querySelector('h1');
      if (!heading) return false;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
      return true;
    };
    if (focus()) return;
    const observer = new MutationObserver(() => {
      const active = document.activeElement;
      const userMoved = active && active !== before && active !== document.body && active !== main;
      if (userMoved || focus()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [location.key, wanted]);
  return null;
}

/** One line of an error summary; without a target it is plain text (an error no field shows). */
export interface ErrorSummaryItem {
  key: string;
  target?: string | null;
  text: string;
}

/**
 * The summary's lines for errors keyed like the form's fields: first the fields in the order of the
 * form (`targets`, each with the element its link focuses), then any other error, without a link.
 */
export function errorSummaryItems(errors: Record<string, string>, targets: readonly (readonly [string, string | null])[]): ErrorSummaryItem[] {
  const known = new Set(targets.map(([k]) => k));
  return [
    ...targets.filter(([k]) => errors[k]).map(([key, target]) => ({ key, target, text: errors[key]! })),
    ...Object.keys(errors)
      .filter((k) => !known.has(k))
      .map((key) => ({ key, target: null, text: errors[key]! })),
  ];
}

/**
 * Focuses the input an error summary links to, after scrolling its question into view: the legend of
 * its fieldset (a radio or checkbox group), otherwise the label of its form group.
 */
function focusTarget(e: MouseEvent<HTMLAnchorElement>, id: string): void {
  const input = document.getElementById(id);
  if (!input) return;
  e.preventDefault();
  (input.closest('fieldset')?.querySelector('legend') ?? input.closest('.form-group')?.querySelector('label'))?.scrollIntoView();
  input.focus({ preventScroll: true });
}

interface ErrorSummaryProps {
  /** The heading's id is `${id}-heading`; the summary is labelled by it. */
  id: string;
  heading: string;
  items: readonly ErrorSummaryItem[];
  /** Bump it on every submit that finds errors: the summary then takes focus (the dkfds pattern). */
  focusKey: number;
}

/** The dkfds error summary above a form: nothing when there are no errors. */
export function ErrorSummary({ id, heading, items, focusKey }: ErrorSummaryProps) {
  const ref = useAutoFocus<HTMLDivElement>(focusKey);
  if (items.length === 0) return null;
  return (
    <div className="alert alert-error my-5 kp-error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${id}-heading`}>
      <div className="alert-body">
        <h2 className="alert-heading" id={`${id}-heading`}>
          {heading}
        </h2>
        <ul className="alert-text nobullet-list">
          {items.map((i) => (
            <li key={i.key}>
              {i.target ? (
                <a href={`#${i.target}`} className="function-link" onClick={(e) => focusTarget(e, i.target!)}>
                  {i.text}
                </a>
              ) : (
                i.text
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors() : {};
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
}

/** A dkfds form group with label, optional hint and field error, wired up with aria-describedby. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor={id}>{label}</label>
      {hint && <span className="form-hint" id={hintId}>{hint}</span>}
      {error && (
        <span className="form-error-message" id={errorId}>
          {error}
        </span>
      )}
      {children(describedBy)}
    </div>
  );
}

interface FieldsetProps {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  /** Further ids that describe the group, after the hint and the error. */
  describedBy?: string;
  children: ReactNode;
}

/** A dkfds form group of radio buttons or checkboxes: a fieldset with legend, optional hint and error, wired up with aria-describedby. */
export function Fieldset({ id, legend, hint, error, describedBy, children }: FieldsetProps) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', describedBy ?? ''].filter(Boolean).join(' ');
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <fieldset aria-describedby={ids || undefined}>
        <legend className="form-label">{legend}</legend>
        {hint && (
          <span className="form-hint" id={`${id}-hint`}>
            {hint}
          </span>
        )}
        {error && (
          <span className="form-error-message" id={`${id}-error`}>
            {error}
          </span>
        )}
        {children}
      </fieldset>
    </div>
  );
}

interface CheckboxListProps {
  /** Each checkbox's id is `${idPrefix}-${option}`. */
  idPrefix: string;
  className: string;
  options: readonly string[];
  label: (option: string) => string;
  chosen: string[];
  onChange: (chosen: string[]) => void;
}

/** dkfds checkboxes for a set of keys (the order of `chosen` is the order they were ticked in). */
export function CheckboxList({ idPrefix, className, options, label, chosen, onChange }: CheckboxListProps) {
  const toggle = (key: string, on: boolean) => onChange(on ? [...chosen.filter((k) => k !== key), key] : chosen.filter((k) => k !== key));
  return (
    <div className={className}>
      {options.map((key) => (
        <div className="form-group-checkbox" key={key}>
          <input type="checkbox" className="form-checkbox" id={`${idPrefix}-${key}`} checked={chosen.includes(key)} onChange={(e) => toggle(key, e.target.checked)} />
          <label className="form-label" htmlFor={`${idPrefix}-${key}`}>
            {label(key)}
          </label>
        </div>
      ))}
    </div>
  );
}

/** 'YYYY-MM-DD' → 'dd.mm.yyyy' (the way dates are written and typed in Danish). */
export function toDanishDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}

/**
 * A typed date ('31.01.2026', '31-1-2026', '2026-01-31') → 'YYYY-MM-DD'. Text that is not a date is
 * passed through unchanged, so that the API answers with its field message.
 */
export function toIsoDate(text: string): string {
  const v = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const m = /^(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})$/.exec(v);
  if (!m) return v;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return v;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface DateFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  required?: boolean;
}

/** A dkfds date field typed as dd.mm.åååå (native date inputs follow the browser's locale, not the page's). */
export function DateField({ id, label, value, onChange, error, required }: DateFieldProps) {
  const { t } = useI18n();
  return (
    <Field id={id} label={label} hint={t('date.hint')} error={error}>
      {(describedBy) => (
        <input
          id={id}
          type="text"
          className="form-input input-width-s"
          inputMode="numeric"
          autoComplete="off"
          maxLength={10}
          required={required}
          aria-required={required ? 'true' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        />
      )}
    </Field>
  );
}
