import { renderToString } from 'react-dom/server';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders, createQueryClient, routes } from './AppRoot.tsx';
import { translate, type MessageKey } from './shared/i18n.tsx';

/*
 * Run by the build (vite.config.ts, prerenderPublicPages) in Node, not shipped to browsers: the
 * public pages' markup before any data has arrived, in Danish, as the browser's first render of the
 * same page produces it (same providers, same router component), so hydrateRoot can take it over.
 */

/** The public pages rendered ahead, with the key of their title (as their usePageTitle sets it). */
export const PUBLIC_PAGES: { path: string; title: MessageKey }[] = [
  { path: '/tilbud', title: 'catalogue.title' },
  { path: '/historier', title: 'cases.library.title' },
  { path: '/selvtest', title: 'selfAssessment.title' },
  { path: '/faa-vejledning', title: 'guidance.title' },
  { path: '/arrangementer/kalender', title: 'eventsPublic.title' },
];

export function renderPublicPage(path: string): { html: string; title: string } {
  const page = PUBLIC_PAGES.find((p) => p.path === path);
  if (!page) throw new Error(`${path} is not a pre-rendered public page`);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const html = renderToString(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  const name = translate('da', 'app.name');
  const title = translate('da', page.title);
  return { html, title: title && title !== name ? `${title} – ${name}` : name };
}
