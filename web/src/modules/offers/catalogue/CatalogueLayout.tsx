import { Layout, PublicLayout } from '../../../Layout.tsx';
import { useSession } from '../../auth/session.tsx';

/**
 * The catalogue is public: visitors get the public header; signed-in users keep their navigation.
 * It never asks for a session, so it never sends anyone to /login.
 */
export function CatalogueLayout() {
  const session = useSession();
  return session.data?.user ? <Layout /> : <PublicLayout />;
}
