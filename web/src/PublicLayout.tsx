import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { useI18n } from './shared/i18n.tsx';
import { useEarlyInput } from './earlyInput.ts';

/*
 * The frame shared by the public pages and the back office. It lives apart from Layout.tsx so a
 * visitor's bundle holds none of the back office (menus, counts, global search, sign-out).
 */

export function LanguageSwitch() {
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

export function Shell({ header, children }: { header: ReactNode; children: ReactNode }) {
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

/**
 * The layout of pages for people outside the system (the evaluation link in a mail): the product
 * name and the language switch only. It never asks for a session, so it never sends anyone to /login.
 */
export function PublicLayout() {
  const { t } = useI18n();
  useEarlyInput();
  return (
    <Shell
      header={
        <header className="header kp-public-header">
          <div className="portal-info">
            <div className="portal-info-inner container">
              <p className="kp-portal-name">{t('app.portal')}</p>
              <div className="portal-user kp-portal-user kp-portal-user-always">
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
                  <li><Link to="/historier">{t('nav.caseLibrary')}</Link></li>
                  <li><Link to="/faa-vejledning">{t('nav.guidance')}</Link></li>
                  <li><Link to="/arrangementer/kalender">{t('nav.events')}</Link></li>
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
