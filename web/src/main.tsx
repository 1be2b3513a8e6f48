import { createRoot, hydrateRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import 'dkfds/dist/css/dkfds.min.css';
import './app.css';
import { AppProviders, createQueryClient, routes } from './AppRoot.tsx';
import { getCurrentLang } from './shared/i18n.tsx';
import { noteEarlyInput } from './earlyInput.ts';

const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

const app = (
  <AppProviders queryClient={queryClient}>
    <RouterProvider router={router} />
  </AppProviders>
);

/*
 * A public page arrives pre-rendered in Danish (vite.config.ts, prerenderPublicPages), so it paints
 * before this script has loaded; React takes over that markup. Where English was chosen the markup
 * does not match: the head's guard has hidden it (server/http/public-shell.ts), and it is replaced.
 */
if (root.hasChildNodes() && getCurrentLang() === 'da') {
  // What a visitor typed before this script ran is handed over after hydration (PublicLayout).
  noteEarlyInput(root);
  hydrateRoot(root, app);
} else {
  root.replaceChildren();
  document.documentElement.classList.remove('kp-no-shell');
  createRoot(root).render(app);
}
