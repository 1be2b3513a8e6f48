import { Suspense, useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { Link, NavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { MyCounts } from '#server/modules/work/schemas.ts';
import { authApi } from './modules/auth/api.ts';
import { useSession, useSetSession } from './modules/auth/session.tsx';
import { GlobalSearch } from './modules/search/GlobalSearch.tsx';
import { request } from './shared/api.ts';
import { focusHeading, Loading } from './shared/components/Feedback.tsx';
import { useI18n } from './shared/i18n.tsx';
import { LanguageSwitch, Shell } from './PublicLayout.tsx';
import './messages.back-office.ts';

/** The mobile menu (dkfds `.mobile-drawer`) and the width from which dkfds shows the desktop menu instead. */
const DRAWER_ID = 'kp-mobile-drawer';
const DESKTOP = '(min-width: 992px)';
/** The menu's counts are refreshed this often (and when the window gets focus again). */
const COUNTS_INTERVAL_MS = 60_000;

/** dkfds icons (material symbols, as in dkfds/dist/img/svg-icons), inline so they take the text colour. */
function Icon({ path }: { path: string }) {
  return (
    <svg className="icon-svg" focusable="false" aria-hidden="true" viewBox="0 -960 960 960">
      <path d={path} />
    </svg>
  );
}
const MENU_ICON = 'M120-240v-80h720v80H120Zm0-200v-80h720v80H120Zm0-200v-80h720v80H120Z';
const CLOSE_ICON = 'm256-200-56-56 224-224-224-224 56-56 224 224 224-224 56 56-224 224 224 224-56 56-224-224-224 224Z';
const WARNING_ICON = 'm40-120 440-760 440 760H40Zm138-80h604L480-720 178-200Zm302-40q17 0 28.5-11.5T520-280q0-17-11.5-28.5T480-320q-17 0-28.5 11.5T440-280q0 17 11.5 28.5T480-240Zm-40-120h80v-200h-80v200Zm40-100Z';

/** What waits in a section: new items and overdue ones. */
interface Count {
  new: number;
  overdue: number;
}

/**
 * The menu's counts (GET /me/counts), asked for only when the user may open a section they count,
 * every minute and when the window gets focus again. Query key ['me', 'counts']: whatever moves
 * these numbers invalidates it.
 */
function useMenuCounts(enabled: boolean) {
  return useQuery({
    queryKey: ['me', 'counts'],
    queryFn: () => request<MyCounts>('GET', '/me/counts'),
    enabled,
    refetchInterval: COUNTS_INTERVAL_MS,
    refetchOnWindowFocus: true,
    staleTime: 30_000,
  });
}

/** A menu item's count as badges, with a text that says what the numbers are ("3 nye, 1 overskredet"). */
function CountBadges({ count }: { count: Count }) {
  const { t } = useI18n();
  const parts = [
    count.new > 0 && t(count.new === 1 ? 'nav.countNewOne' : 'nav.countNewOther', { n: count.new }),
    count.overdue > 0 && t(count.overdue === 1 ? 'nav.countOverdueOne' : 'nav.countOverdueOther', { n: count.overdue }),
  ].filter((p): p is string => !!p);
  if (parts.length === 0) return null;
  const text = parts.join(', ');
  return (
    <span className="kp-nav-counts" title={text}>
      {count.new > 0 && (
        <span className="badge badge-info kp-nav-count" aria-hidden="true">
          {count.new}
        </span>
      )}
      {count.overdue > 0 && (
        <span className="badge badge-error kp-nav-count kp-nav-count-overdue" aria-hidden="true">
          <Icon path={WARNING_ICON} />
          {count.overdue}
        </span>
      )}
      <span className="sr-only"> ({text})</span>
    </span>
  );
}

interface MenuLink {
  to: string;
  label: string;
  end: boolean;
  count?: Count;
}

function NavItem({ link, onNavigate }: { link: MenuLink; onNavigate?: () => void }) {
  const match = useMatch({ path: link.to, end: link.end });
  return (
    <li className={match ? 'active current' : undefined}>
      {/* From the mobile menu (which closes) the new page's heading takes focus, so focus is not lost. */}
      <NavLink to={link.to} end={link.end} className="nav-link" onClick={onNavigate} state={onNavigate ? focusHeading : undefined}>
        <span className="kp-nav-label">
          <span className="kp-nav-name">{link.label}</span>
          {link.count && <CountBadges count={link.count} />}
        </span>
      </NavLink>
    </li>
  );
}

/**
 * The mobile menu's state, as dkfds' Navigation does it (done in React): the Menu button opens the
 * drawer and focus moves to its close button; Escape, the close button or the overlay close it and
 * focus goes back to the Menu button; Tab stays inside while it is open; following a link closes it
 * (the new page's heading takes focus); it closes by itself when the window becomes wide enough for
 * the desktop menu.
 */
function useMobileDrawer(
  menuButtonRef: RefObject<HTMLButtonElement | null>,
  closeButtonRef: RefObject<HTMLButtonElement | null>,
  drawerRef: RefObject<HTMLDivElement | null>,
) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const [locationKey, setLocationKey] = useState(location.key);

  // Any navigation (a link in the drawer, back and forward) closes it.
  if (locationKey !== location.key) {
    setLocationKey(location.key);
    if (open) setOpen(false);
  }

  const close = useCallback(
    (returnFocus: boolean) => {
      setOpen(false);
      if (returnFocus) menuButtonRef.current?.focus();
    },
    [menuButtonRef],
  );

  useEffect(() => {
    if (open) closeButtonRef.current?.focus();
    // dkfds: the page behind does not scroll while the drawer is open.
    document.body.classList.toggle('mobile-nav-active', open);
    return () => document.body.classList.remove('mobile-nav-active');
  }, [open, closeButtonRef]);

  useEffect(() => {
    if (!open) return;
    const desktop = window.matchMedia(DESKTOP);
    const onChange = () => {
      if (!desktop.matches) return;
      // The drawer and the Menu button disappear: focus inside goes to the page rather than nowhere.
      const hadFocus = !!drawerRef.current?.contains(document.activeElement);
      setOpen(false);
      if (hadFocus) document.getElementById('main-content')?.focus();
    };
    desktop.addEventListener('change', onChange);
    return () => desktop.removeEventListener('change', onChange);
  }, [open, drawerRef]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
      return;
    }
    if (e.key !== 'Tab' || !drawerRef.current) return;
    const focusable = [...drawerRef.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])')].filter(
      (el) => el.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return { open, setOpen, close, onKeyDown };
}

function Header() {
  const { t } = useI18n();
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const user = session.data?.user;
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const closeButtonRef = useRef<HTMLButtonElement>(null);
  const drawerRef = useRef<HTMLDivElement>(null);
  const drawer = useMobileDrawer(menuButtonRef, closeButtonRef, drawerRef);

  const logout = useMutation({
    mutationFn: () => authApi.logout(),
    onSettled: () => {
      setSession(null);
      void navigate('/login', { replace: true });
    },
  });

  // Only the sections the server says this user may open (no role or organisation checks here).
  const can = session.data?.abilities.sections;
  const counts = useMenuCounts(!!user && !!can && (can.leads || can.referrals || can.myWork)).data;
  const links: MenuLink[] = user && can
    ? [
        ...(can.myWork ? [{ to: '/mit-arbejde', label: t('nav.myWork'), end: false, count: counts && { new: 0, overdue: counts.tasks.overdue } }] : []),
        ...(can.search ? [{ to: '/', label: t('nav.search'), end: true }] : []),
        ...(can.leads ? [{ to: '/henvendelser', label: t('nav.leads'), end: false, count: counts?.leads }] : []),
        ...(can.referrals ? [{ to: '/henvisninger', label: t('nav.referrals'), end: false, count: counts?.referrals }] : []),
        ...(can.evaluation ? [{ to: '/evaluering', label: t('nav.evaluation'), end: true }] : []),
        ...(can.contracts ? [{ to: '/kontrakter', label: t('nav.contracts'), end: false }] : []),
        ...(can.actionPlans ? [{ to: '/handleplaner', label: t('nav.actionPlans'), end: false }] : []),
        ...(can.surveys ? [{ to: '/undersoegelser', label: t('nav.surveys'), end: false }] : []),
        ...(can.prospects ? [{ to: '/ivaerksaettere', label: t('nav.prospects'), end: false }] : []),
        ...(can.matchmaking ? [{ to: '/matchmaking', label: t('nav.matchmaking'), end: false }] : []),
        ...(can.matchRegister ? [{ to: '/matchregister', label: t('nav.matchRegister'), end: false }] : []),
        ...(can.catalogue ? [{ to: '/tilbud', label: t('nav.catalogue'), end: false }] : []),
        ...(can.offers ? [{ to: '/vores-tilbud', label: t('nav.offers'), end: false }] : []),
        ...(can.cases ? [{ to: '/gode-historier', label: t('nav.cases'), end: false }] : []),
        ...(can.events ? [{ to: '/arrangementer', label: t('nav.events'), end: false }] : []),
        ...(can.users ? [{ to: '/admin/brugere', label: t('nav.users'), end: false }] : []),
        ...(can.audit ? [{ to: '/admin/log', label: t('nav.audit'), end: false }] : []),
      ]
    : [];
  // Below 992 px dkfds hides the menu and the user's row: both move into the drawer behind the Menu button.
  const hasDrawer = !!user && links.length > 0;

  return (
    <header className="header">
      <div className="portal-info">
        <div className="portal-info-inner container">
          <p className="kp-portal-name">{t('app.portal')}</p>
          {hasDrawer && (
            <button
              ref={menuButtonRef}
              type="button"
              className="function-link button-menu-open ml-auto d-print-none"
              aria-haspopup="dialog"
              aria-expanded={drawer.open}
              aria-controls={DRAWER_ID}
              onClick={() => drawer.setOpen(true)}
            >
              <Icon path={MENU_ICON} />
              {t('nav.menu')}
            </button>
          )}
          <div className={`portal-user${hasDrawer ? ' kp-portal-user' : ' kp-portal-user kp-portal-user-always'}`}>
            {user && (
              <p className="user">
                <span className="sr-only">{t('header.user')} </span>
                {user.name}, {user.organisation.name}
              </p>
            )}
            {user && (
              <Link to="/indstillinger" className="function-link kp-settings-link">
                {t('header.settings')}
              </Link>
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
        <div className={`solution-info-inner container${user && can?.search ? ' kp-solution-with-search' : ''}`}>
          <div className="solution-heading">
            <Link to="/">{t('app.name')}</Link>
          </div>
          {user && can?.search ? (
            <GlobalSearch />
          ) : (
            <div className="additional-info">
              <p>{t('app.tagline')}</p>
            </div>
          )}
        </div>
      </div>
      {links.length > 0 && (
        <div className="navigation-menu kp-navigation">
          <div className="navigation-menu-inner container">
            <nav className="nav" aria-label={t('nav.label')}>
              <ul className="mainmenu">
                {links.map((l) => (
                  <NavItem key={l.to} link={l} />
                ))}
              </ul>
            </nav>
          </div>
        </div>
      )}
      {hasDrawer && user && (
        <>
          <div className={`overlay${drawer.open ? ' is-visible' : ''}`} aria-hidden="true" onClick={() => drawer.close(true)} />
          <div
            ref={drawerRef}
            id={DRAWER_ID}
            className={`mobile-drawer${drawer.open ? ' is-visible' : ''}`}
            role="dialog"
            aria-modal="true"
            aria-labelledby="kp-menu-heading"
            onKeyDown={drawer.onKeyDown}
          >
            <div className="menu-top">
              <h2 id="kp-menu-heading" className="menu-heading">
                {t('nav.menu')}
              </h2>
              <button
                ref={closeButtonRef}
                type="button"
                className="function-link button-menu-close"
                aria-label={t('nav.closeLabel')}
                onClick={() => drawer.close(true)}
              >
                <Icon path={CLOSE_ICON} />
                {t('nav.close')}
              </button>
            </div>
            <nav className="navigation-menu-mobile" aria-label={t('nav.label')}>
              <ul className="mainmenu">
                {links.map((l) => (
                  <NavItem key={l.to} link={l} onNavigate={() => drawer.close(false)} />
                ))}
              </ul>
            </nav>
            <div className="portal-info-mobile">
              <h3 className="sr-only">{t('header.userHeading')}</h3>
              <p className="user">
                <span className="mb-3">{user.name}</span>
                <span>{user.organisation.name}</span>
              </p>
              <p>
                <Link to="/indstillinger" state={focusHeading} className="function-link kp-settings-link" onClick={() => drawer.close(false)}>
                  {t('header.settings')}
                </Link>
              </p>
              <p>
                <LanguageSwitch />
              </p>
              <p>
                <button type="button" className="function-link log-off kp-logout" onClick={() => logout.mutate()} disabled={logout.isPending}>
                  {t('header.logout')}
                </button>
              </p>
            </div>
          </div>
        </>
      )}
    </header>
  );
}

export function Layout() {
  return (
    <Shell header={<Header />}>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </Shell>
  );
}
