import type { ReactNode } from 'react';
import { Link, NavLink, Outlet, useMatch, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { authApi } from './modules/auth/api.ts';
import { useSession, useSetSession } from './modules/auth/session.tsx';
import { useI18n } from './shared/i18n.tsx';

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const target = lang === 'da' ? 'en' : 'da';
  return (
    <button
      type="button"
      className="function-link kp-lang-switch"
      lang={target}
      title={t('lang.switchLabel')}
      onClick={() => setLang(target)}
    >
      {t('lang.switch')}
    </button>
  );
}

function NavItem({ to, end, label }: { to: string; end: boolean; label: string }) {
  const match = useMatch({ path: to, end });
  return (
    <li className={match ? 'active current' : undefined}>
      <NavLink to={to} end={end} className="nav-link">
        <span>{label}</span>
      </NavLink>
    </li>
  );
}

function Header() {
  const { t } = useI18n();
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const user = session.data?.user;

  const logout = useMutation({
    mutationFn: () => authApi.logout(),
    onSettled: () => {
      setSession(null);
      void navigate('/login', { replace: true });
    },
  });

  // Only the sections the server says this user may open (no role or organisation checks here).
  const can = session.data?.abilities.sections;
  const links = user && can
    ? [
        ...(can.myWork ? [{ to: '/mit-arbejde', label: t('nav.myWork'), end: false }] : []),
        ...(can.search ? [{ to: '/', label: t('nav.search'), end: true }] : []),
        ...(can.leads ? [{ to: '/henvendelser', label: t('nav.leads'), end: false }] : []),
        ...(can.referrals ? [{ to: '/henvisninger', label: t('nav.referrals'), end: false }] : []),
        ...(can.evaluation ? [{ to: '/evaluering', label: t('nav.evaluation'), end: true }] : []),
        ...(can.contracts ? [{ to: '/kontrakter', label: t('nav.contracts'), end: false }] : []),
        ...(can.prospects ? [{ to: '/ivaerksaettere', label: t('nav.prospects'), end: false }] : []),
        ...(can.catalogue ? [{ to: '/tilbud', label: t('nav.catalogue'), end: false }] : []),
        ...(can.offers ? [{ to: '/vores-tilbud', label: t('nav.offers'), end: false }] : []),
        ...(can.users ? [{ to: '/admin/brugere', label: t('nav.users'), end: false }] : []),
        ...(can.audit ? [{ to: '/admin/log', label: t('nav.audit'), end: false }] : []),
      ]
    : [];

  return (
    <header className="header">
      <div className="portal-info">
        <div className="portal-info-inner container">
          <p className="kp-portal-name">{t('app.portal')}</p>
          <div className="portal-user kp-portal-user">
            {user && (
              <p className="user">
                <span className="sr-only">{t('header.user')} </span>
                {user.name}, {user.organisation.name}
              </p>
            )}
            <LanguageSwitch />
            {user && (
              <button
                type="button"
                className="function-link log-off kp-logout"
                onClick={() => logout.mutate()}
                disabled={logout.isPending}
              >
                {t('header.logout')}
              </button>
            )}
          </div>
        </div>
      </div>
      <div className="solution-info">
        <div className="solution-info-inner container">
          <div className="solution-heading">
            <Link to="/">{t('app.name')}</Link>
          </div>
          <div className="additional-info">
            <p>{t('app.tagline')}</p>
          </div>
        </div>
      </div>
      {links.length > 0 && (
        <div className="navigation-menu kp-navigation">
          <div className="navigation-menu-inner container">
            <nav className="nav" aria-label={t('nav.label')}>
              <ul className="mainmenu">
                {links.map((l) => (
                  <NavItem key={l.to} to={l.to} end={l.end} label={l.label} />
                ))}
              </ul>
            </nav>
          </div>
        </div>
      )}
    </header>
  );
}

function Shell({ header, children }: { header: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skipnav" href="#main-content">
        {t('skip.link')}
      </a>
      {header}
      <div className="page-container kp-page">
        <main id="main-content" className="container" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer className="footer kp-footer">
        <div className="container py-5">
          <p>{t('footer.text')}</p>
        </div>
      </footer>
    </>
  );
}

export function Layout() {
  return (
    <Shell header={<Header />}>
      <Outlet />
    </Shell>
  );
}

/**
 * The layout of pages for people outside the system (the evaluation link in a mail): the product
 * name and the language switch only. It never asks for a session, so it never sends anyone to /login.
 */
export function PublicLayout() {
  const { t } = useI18n();
  return (
    <Shell
      header={
        <header className="header kp-public-header">
          <div className="portal-info">
            <div className="portal-info-inner container">
              <p className="kp-portal-name">{t('app.portal')}</p>
              <div className="portal-user kp-portal-user">
                <LanguageSwitch />
              </div>
            </div>
          </div>
          <div className="solution-info">
            <div className="solution-info-inner container">
              <div className="solution-heading">
                <span className="kp-solution-name">{t('app.name')}</span>
              </div>
              <div className="additional-info kp-public-links">
                <ul className="kp-public-nav unstyled-list">
                  <li><Link to="/tilbud">{t('nav.catalogue')}</Link></li>
                  <li><Link to="/selvtest">{t('nav.selfAssessment')}</Link></li>
                  <li><Link to="/faa-vejledning">{t('nav.guidance')}</Link></li>
                </ul>
              </div>
            </div>
          </div>
        </header>
      }
    >
      <Outlet />
    </Shell>
  );
}
