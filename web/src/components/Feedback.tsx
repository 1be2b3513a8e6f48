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
