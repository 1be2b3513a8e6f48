import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth, UnauthorizedWatcher } from './auth.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { ProspectsPage } from './pages/ProspectsPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

export function App() {
  return (
    <>
      <UnauthorizedWatcher />
      <Routes>
        <Route element={<Layout />}>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<RequireAuth><SearchPage /></RequireAuth>} />
          <Route path="/virksomheder/:cvr" element={<RequireAuth><CompanyPage /></RequireAuth>} />
          <Route path="/ivaerksaettere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          <Route path="/iværksættere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          <Route path="/admin/brugere" element={<RequireAuth><UsersPage /></RequireAuth>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
