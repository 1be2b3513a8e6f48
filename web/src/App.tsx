import { Route, Routes } from 'react-router';
import { Layout, PublicLayout } from './components/Layout.tsx';
import { RequireAuth, UnauthorizedWatcher } from './auth.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { ProspectsPage } from './pages/ProspectsPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { MyWorkPage } from './pages/MyWorkPage.tsx';
import { EngagementPage } from './pages/EngagementPage.tsx';
import { EngagementFormPage } from './pages/EngagementFormPage.tsx';
import { ReferralsPage } from './pages/ReferralsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { EvaluationAnswerPage, EvaluationUnsubscribePage } from './pages/EvaluationAnswerPage.tsx';
import { EvaluationDashboardPage } from './pages/EvaluationDashboardPage.tsx';
import { ContractsPage } from './pages/ContractsPage.tsx';
import { ContractDashboardPage } from './pages/ContractDashboardPage.tsx';
import { ContractStatusReportPage } from './pages/ContractStatusReportPage.tsx';
import { CatalogueLayout } from './catalogue/CatalogueLayout.tsx';
import { CataloguePage } from './pages/CataloguePage.tsx';
import { CatalogueOfferPage } from './pages/CatalogueOfferPage.tsx';
import { GuidanceRequestPage } from './guidance/GuidanceRequestPage.tsx';
import { SelfAssessmentListPage, SelfAssessmentPage } from './self-assessment/SelfAssessmentPages.tsx';
import { LeadsPage } from './leads/LeadsPage.tsx';
import { OffersPage } from './offers/OffersPage.tsx';
import { OfferEditPage } from './offers/OfferEditPage.tsx';

export function App() {
  return (
    <>
      <UnauthorizedWatcher />
      <Routes>
        {/* The answer page for the company (link in a mail): public, no session, no app navigation. */}
        <Route element={<PublicLayout />}>
          <Route path="/evaluering/:token" element={<EvaluationAnswerPage />} />
          <Route path="/evaluering/:token/afmeld" element={<EvaluationUnsubscribePage />} />
        </Route>
        {/* The public entry point (catalogue, self-assessment, "Få vejledning"): no sign-in; signed-in users keep their navigation. */}
        <Route element={<CatalogueLayout />}>
          <Route path="/tilbud" element={<CataloguePage />} />
          <Route path="/tilbud/:id" element={<CatalogueOfferPage />} />
          <Route path="/selvtest" element={<SelfAssessmentListPage />} />
          <Route path="/selvtest/:key" element={<SelfAssessmentPage />} />
          <Route path="/faa-vejledning" element={<GuidanceRequestPage />} />
        </Route>
        <Route element={<Layout />}>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<RequireAuth><SearchPage /></RequireAuth>} />
          <Route path="/virksomheder/:cvr" element={<RequireAuth><CompanyPage /></RequireAuth>} />
          <Route path="/ivaerksaettere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          <Route path="/iværksættere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          <Route path="/mit-arbejde" element={<RequireAuth><MyWorkPage /></RequireAuth>} />
          <Route path="/forloeb/nyt" element={<RequireAuth><EngagementFormPage /></RequireAuth>} />
          <Route path="/forloeb/:id" element={<RequireAuth><EngagementPage /></RequireAuth>} />
          <Route path="/vores-tilbud" element={<RequireAuth><OffersPage /></RequireAuth>} />
          <Route path="/vores-tilbud/:id" element={<RequireAuth><OfferEditPage /></RequireAuth>} />
          <Route path="/henvendelser" element={<RequireAuth><LeadsPage /></RequireAuth>} />
          <Route path="/henvisninger" element={<RequireAuth><ReferralsPage /></RequireAuth>} />
          <Route path="/evaluering" element={<RequireAuth><EvaluationDashboardPage /></RequireAuth>} />
          <Route path="/kontrakter" element={<RequireAuth><ContractsPage /></RequireAuth>} />
          <Route path="/kontrakter/:id" element={<RequireAuth><ContractDashboardPage /></RequireAuth>} />
          <Route path="/statusrapporter/:id" element={<RequireAuth><ContractStatusReportPage /></RequireAuth>} />
          <Route path="/admin/brugere" element={<RequireAuth><UsersPage /></RequireAuth>} />
          <Route path="/admin/log" element={<RequireAuth><AuditPage /></RequireAuth>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
