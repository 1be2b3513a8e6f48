import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import type { Session } from '../../shared/api.ts';
import { authApi } from './api.ts';
import { useSession, useSetSession } from './session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { ApiError } from '../../shared/api.ts';
import { ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, focusHeading, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';

function safeRedirect(from: unknown): string | null {
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : null;
}

/** Where a user lands after signing in without a page to return to: the home the server chose (advisers and managers: "Mit arbejde"). */
const homePaths: Record<Session['abilities']['home'], string> = { myWork: '/mit-arbejde', search: '/' };

function landingPage(s: Session | null | undefined): string {
  return s ? homePaths[s.abilities.home] : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  usePageTitle(t('login.title'));
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = safeRedirect((location.state as { from?: unknown } | null)?.from);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () => authApi.login(email.trim(), password),
    onSuccess: (s) => {
      setSession(s);
      // The landing page's h1 takes focus (HeadingFocusOnArrival).
      void navigate(from ?? landingPage(s), { replace: true, state: focusHeading });
    },
  });

  if (session.isPending) return <Loading />;
  // Already signed in (or just now, before the navigation above): on to the landing page; after a submit its h1 takes focus.
  if (session.data && !login.isSuccess) return <Navigate to={from ?? landingPage(session.data)} replace state={login.isIdle ? undefined : focusHeading} />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  const fe = fieldErrorsOf(login.error);
  const errorItems = errorSummaryItems(fe, [
    ['email', 'login-email'],
    ['password', 'login-password'],
  ]);
  // A refusal without field errors (wrong e-mail or password, too many attempts) is one line of its own.
  if (login.error && errorItems.length === 0) {
    errorItems.push({ key: 'problem', text: login.error instanceof ApiError ? login.error.problem.detail || login.error.message : t('common.errorGeneric') });
  }

  return (
    <div className="row">
      <div className="col-12 col-md-8 col-lg-6">
        <h1>{t('login.title')}</h1>
        <p className="font-lead">{t('login.intro')}</p>
        <ErrorSummary id="login-errors" heading={t('login.failed')} items={errorItems} focusKey={login.isError ? login.submittedAt : 0} />
        <form onSubmit={onSubmit} noValidate>
          <Field id="login-email" label={t('login.email')} error={fe.email}>
            {(describedBy) => (
              <input
                id="login-email"
                name="email"
                type="email"
                className="form-input"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={fe.email ? true : undefined}
              />
            )}
          </Field>
          <Field id="login-password" label={t('login.password')} error={fe.password}>
            {(describedBy) => (
              <input
                id="login-password"
                name="password"
                type="password"
                className="form-input"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={fe.password ? true : undefined}
              />
            )}
          </Field>
          <button type="submit" className="button button-primary mt-5" disabled={login.isPending}>
            {login.isPending ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
    </div>
  );
}
