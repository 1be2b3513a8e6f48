import { Link, useLocation, useSearchParams } from 'react-router';
import { useI18n } from '../i18n.tsx';

/** The query parameter a list's page is kept in (Danish, like the app's other URL words). */
export const PAGE_PARAM = 'side';

/** The current page from the URL, and the link to another page with every other parameter kept. */
export function usePageParam(): { page: number; href: (page: number) => string } {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const n = Number(params.get(PAGE_PARAM));
  const page = Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p <= 1) next.delete(PAGE_PARAM);
    else next.set(PAGE_PARAM, String(p));
    const s = next.toString();
    return s ? `${pathname}?${s}` : pathname;
  };
  return { page, href };
}

/** "Forrige · Side n · Næste" under a paged list; nothing when everything fits on one page. */
export function Pager({ page, hasMore, href }: { page: number; hasMore: boolean; href: (page: number) => string }) {
  const { t, n } = useI18n();
  if (page <= 1 && !hasMore) return null;
  return (
    <nav className="kp-pagination" aria-label={t('pagination.label')}>
      {page > 1 ? <Link to={href(page - 1)}>{t('pagination.prev')}</Link> : <span className="kp-pagination-spacer" />}
      <span aria-current="page">{t('pagination.page', { n: n(page) })}</span>
      {hasMore ? <Link to={href(page + 1)}>{t('pagination.next')}</Link> : <span className="kp-pagination-spacer" />}
    </nav>
  );
}
