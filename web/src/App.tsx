import { Route, Routes } from 'react-router';
import { Layout, PublicLayout } from './Layout.tsx';
import { RequireAuth, UnauthorizedWatcher } from './modules/auth/session.tsx';
import { LoginPage } from './modules/auth/LoginPage.tsx';
import { SearchPage } from './modules/companies/SearchPage.tsx';
import { CompanyPage } from './modules/companies/CompanyPage.tsx';
import { ProspectsPage } from './modules/prospects/ProspectsPage.tsx';
import { UsersPage } from './modules/users/UsersPage.tsx';
import { SettingsPage } from './modules/users/SettingsPage.tsx';
import { NotFoundPage } from './shared/components/NotFoundPage.tsx';
import { HeadingFocusOnArrival } from './shared/components/Feedback.tsx';
import { UnsavedChangesGuard } from './shared/hooks/useUnsavedChanges.ts';
import { MyWorkPage } from './modules/work/MyWorkPage.tsx';
import { EngagementPage } from './modules/engagements/EngagementPage.tsx';
import { EngagementFormPage } from './modules/engagements/EngagementFormPage.tsx';
import { ReferralsPage } from './modules/referrals/ReferralsPage.tsx';
import { ReferralPage } from './modules/referrals/ReferralPage.tsx';
import { AuditPage } from './modules/audit/AuditPage.tsx';
import { EvaluationAnswerPage, EvaluationUnsubscribePage } from './modules/evaluations/EvaluationAnswerPage.tsx';
import { EvaluationDashboardPage } from './modules/evaluations/EvaluationDashboardPage.tsx';
import { ContractsPage } from './modules/contracts/ContractsPage.tsx';
import { ContractDashboardPage } from './modules/contracts/ContractDashboardPage.tsx';
import { ContractStatusReportPage } from './modules/contracts/ContractStatusReportPage.tsx';
import { CatalogueLayout } from './modules/offers/catalogue/CatalogueLayout.tsx';
import { CataloguePage } from './modules/offers/catalogue/CataloguePage.tsx';
import { CatalogueOfferPage } from './modules/offers/catalogue/CatalogueOfferPage.tsx';
import { GuidanceRequestPage } from './modules/guidance/GuidanceRequestPage.tsx';
import { SelfAssessmentListPage, SelfAssessmentPage } from './modules/offers/self-assessment/SelfAssessmentPages.tsx';
import { LeadsPage } from './modules/guidance/LeadsPage.tsx';
import { LeadPage } from './modules/guidance/LeadPage.tsx';
import { OffersPage } from './modules/offers/OffersPage.tsx';
import { OfferEditPage } from './modules/offers/OfferEditPage.tsx';

export function App() {
  return (
    <>
      <UnauthorizedWatcher />
      {/* After a submit that navigates with `focusHeading`, the new page's h1 takes focus. */}
      <HeadingFocusOnArrival />
      <UnsavedChangesGuard />
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
        {/* The back office: one block per module (web/src/modules/<module>); each page shows what the session's abilities allow. */}
        <Route element={<Layout />}>
          {/* auth */}
          <Route path="/login" element={<LoginPage />} />
          {/* work */}
          <Route path="/mit-arbejde" element={<RequireAuth><MyWorkPage /></RequireAuth>} />
          {/* companies */}
          <Route path="/" element={<RequireAuth><SearchPage /></RequireAuth>} />
          <Route path="/virksomheder/:cvr" element={<RequireAuth><CompanyPage /></RequireAuth>} />
          {/* prospects */}
          <Route path="/ivaerksaettere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          <Route path="/iværksættere" element={<RequireAuth><ProspectsPage /></RequireAuth>} />
          {/* engagements */}
          <Route path="/forloeb/nyt" element={<RequireAuth><EngagementFormPage /></RequireAuth>} />
          <Route path="/forloeb/:id" element={<RequireAuth><EngagementPage /></RequireAuth>} />
          {/* guidance: requests (leads) from the public entry point */}
          <Route path="/henvendelser" element={<RequireAuth><LeadsPage /></RequireAuth>} />
          <Route path="/henvendelser/:id" element={<RequireAuth><LeadPage /></RequireAuth>} />
          {/* referrals */}
          <Route path="/henvisninger" element={<RequireAuth><ReferralsPage /></RequireAuth>} />
          <Route path="/henvisninger/:id" element={<RequireAuth><ReferralPage /></RequireAuth>} />
          {/* evaluations */}
          <Route path="/evaluering" element={<RequireAuth><EvaluationDashboardPage /></RequireAuth>} />
          {/* contracts */}
          <Route path="/kontrakter" element={<RequireAuth><ContractsPage /></RequireAuth>} />
          <Route path="/kontrakter/:id" element={<RequireAuth><ContractDashboardPage /></RequireAuth>} />
          <Route path="/statusrapporter/:id" element={<RequireAuth><ContractStatusReportPage /></RequireAuth>} />
          {/* offers: the organisation's own */}
          <Route path="/vores-tilbud" element={<RequireAuth><OffersPage /></RequireAuth>} />
          <Route path="/vores-tilbud/:id" element={<RequireAuth><OfferEditPage /></RequireAuth>} />
          {/* users: the signed-in user's own settings */}
          <Route path="/indstillinger" element={<RequireAuth><SettingsPage /></RequireAuth>} />
          {/* users and audit */}
          <Route path="/admin/brugere" element={<RequireAuth><UsersPage /></RequireAuth>} />
          <Route path="/admin/log" element={<RequireAuth><AuditPage /></RequireAuth>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
