import { lazy, Suspense } from 'react';
import { PublicLayout } from '../../../PublicLayout.tsx';
import { useSessionIfSignedIn } from '../../auth/session.tsx';

// The back office's layout (menus, counts, search) is only sent to someone who is signed in.
const Layout = lazy(() => import('../../../Layout.tsx').then((m) => ({ default: m.Layout })));

/**
 * The catalogue is public: visitors get the public header; signed-in users keep their navigation.
 * It never sends anyone to /login, and it asks for the session only when someone has signed in in
 * this browser, so a visitor's page view makes no /auth/session call.
 */
export function CatalogueLayout() {
  const session = useSessionIfSignedIn();
  if (!session.data?.user) return <PublicLayout />;
  return (
    <Suspense fallback={<PublicLayout />}>
      <Layout />
    </Suspense>
  );
}
