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
import { ActionPlanNewPage, ActionPlansPage } from './modules/action-plans/ActionPlansPage.tsx';
import { ActionPlanPage } from './modules/action-plans/ActionPlanPage.tsx';
import { SurveysPage } from './modules/surveys/SurveysPage.tsx';
import { SurveyBuilderPage } from './modules/surveys/SurveyBuilderPage.tsx';
import { SurveyPage } from './modules/surveys/SurveyPage.tsx';
import { SurveyResultsPage } from './modules/surveys/SurveyResultsPage.tsx';
import { SurveyAnswerPage } from './modules/surveys/SurveyAnswerPage.tsx';
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
import { CaseLibraryPage } from './modules/cases/CaseLibraryPage.tsx';
import { CaseStoryPage } from './modules/cases/CaseStoryPage.tsx';
import { CasesPage } from './modules/cases/CasesPage.tsx';
import { CaseEditPage } from './modules/cases/CaseEditPage.tsx';
import { SendCasesPage } from './modules/cases/SendCasesPage.tsx';
import { EventsPage } from './modules/events/EventsPage.tsx';
import { EventPage } from './modules/events/EventPage.tsx';
import { EventFormPage } from './modules/events/EventFormPage.tsx';
import { NetworksPage } from './modules/events/NetworksPage.tsx';
import { EventCancelPage, EventSignUpPage, PublicEventsPage } from './modules/events/PublicEventPages.tsx';
import { MatchmakingPage } from './modules/matchmaking/MatchmakingPage.tsx';
import { MatchPage } from './modules/matchmaking/MatchPage.tsx';
import { MatchRegisterPage } from './modules/match-register/MatchRegisterPage.tsx';
import { MatchProjectPage } from './modules/match-register/MatchProjectPage.tsx';
import { MatchProjectNewPage } from './modules/match-register/MatchProjectNewPage.tsx';

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
          <Route path="/undersoegelser/svar/:token" element={<SurveyAnswerPage kind="personal" />} />
          <Route path="/undersoegelser/svar/:token/afmeld" element={<SurveyAnswerPage kind="unsubscribe" />} />
          <Route path="/undersoegelser/link/:token" element={<SurveyAnswerPage kind="public" />} />
          <Route path="/arrangementer/afmelding/:token" element={<EventCancelPage />} />
        </Route>
        {/* The public entry point (catalogue, self-assessment, "Få vejledning"): no sign-in; signed-in users keep their navigation. */}
        <Route element={<CatalogueLayout />}>
          <Route path="/tilbud" element={<CataloguePage />} />
          <Route path="/tilbud/:id" element={<CatalogueOfferPage />} />
          <Route path="/historier" element={<CaseLibraryPage />} />
          <Route path="/historier/:id" element={<CaseStoryPage />} />
          <Route path="/selvtest" element={<SelfAssessmentListPage />} />
          <Route path="/selvtest/:key" element={<SelfAssessmentPage />} />
          <Route path="/faa-vejledning" element={<GuidanceRequestPage />} />
          <Route path="/arrangementer/kalender" element={<PublicEventsPage />} />
          <Route path="/arrangementer/:id/tilmelding" element={<EventSignUpPage />} />
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
          {/* cases (gode historier): the organisation's own */}
          <Route path="/gode-historier" element={<RequireAuth><CasesPage /></RequireAuth>} />
          <Route path="/gode-historier/ny" element={<RequireAuth><CaseEditPage /></RequireAuth>} />
          <Route path="/gode-historier/send" element={<RequireAuth><SendCasesPage /></RequireAuth>} />
          <Route path="/gode-historier/:id" element={<RequireAuth><CaseEditPage /></RequireAuth>} />
          {/* events */}
          <Route path="/arrangementer" element={<RequireAuth><EventsPage /></RequireAuth>} />
          <Route path="/arrangementer/nyt" element={<RequireAuth><EventFormPage /></RequireAuth>} />
          <Route path="/arrangementer/netvaerk" element={<RequireAuth><NetworksPage /></RequireAuth>} />
          <Route path="/arrangementer/:id" element={<RequireAuth><EventPage /></RequireAuth>} />
          <Route path="/arrangementer/:id/ret" element={<RequireAuth><EventFormPage /></RequireAuth>} />
          {/* users: the signed-in user's own settings */}
          <Route path="/handleplaner" element={<RequireAuth><ActionPlansPage /></RequireAuth>} />
          <Route path="/handleplaner/ny" element={<RequireAuth><ActionPlanNewPage /></RequireAuth>} />
          <Route path="/handleplaner/:id" element={<RequireAuth><ActionPlanPage /></RequireAuth>} />
          <Route path="/undersoegelser" element={<RequireAuth><SurveysPage /></RequireAuth>} />
          <Route path="/undersoegelser/ny" element={<RequireAuth><SurveyBuilderPage /></RequireAuth>} />
          <Route path="/undersoegelser/:id" element={<RequireAuth><SurveyPage /></RequireAuth>} />
          <Route path="/undersoegelser/:id/rediger" element={<RequireAuth><SurveyBuilderPage /></RequireAuth>} />
          <Route path="/undersoegelser/:id/resultater" element={<RequireAuth><SurveyResultsPage /></RequireAuth>} />
          {/* matchmaking: needs and offers of cooperation, suggestions and matches */}
          <Route path="/matchmaking" element={<RequireAuth><MatchmakingPage /></RequireAuth>} />
          <Route path="/matchmaking/match/:id" element={<RequireAuth><MatchPage /></RequireAuth>} />
          {/* the match register of a shared project (Vækst Via Viden): targets, registration, progress */}
          <Route path="/matchregister" element={<RequireAuth><MatchRegisterPage /></RequireAuth>} />
          <Route path="/matchregister/nyt" element={<RequireAuth><MatchProjectNewPage /></RequireAuth>} />
          <Route path="/matchregister/:id" element={<RequireAuth><MatchProjectPage /></RequireAuth>} />
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
