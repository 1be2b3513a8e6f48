import { useEffect, type ReactNode } from 'react';
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
  return (
    <div className="alert alert-error my-5" role="alert">
      <div className="alert-body">
        <p className="alert-heading"><strong>{heading ?? t('common.error')}</strong></p>
        <p className="alert-text">{detail}</p>
      </div>
    </div>
  );
}

export function SuccessAlert({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success my-5" role="status">
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
