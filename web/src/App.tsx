import { lazy, Suspense, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { PublicLayout } from './PublicLayout.tsx';
import { RequireAuth, UnauthorizedWatcher } from './modules/auth/session.tsx';
import { NotFoundPage } from './shared/components/NotFoundPage.tsx';
import { HeadingFocusOnArrival, Loading } from './shared/components/Feedback.tsx';
import { UnsavedChangesGuard } from './shared/hooks/useUnsavedChanges.ts';
import { EvaluationAnswerPage, EvaluationUnsubscribePage } from './modules/evaluations/EvaluationAnswerPage.tsx';
import { SurveyAnswerPage } from './modules/surveys/SurveyAnswerPage.tsx';
import { CatalogueLayout } from './modules/offers/catalogue/CatalogueLayout.tsx';
import { CataloguePage } from './modules/offers/catalogue/CataloguePage.tsx';
import { CatalogueOfferPage } from './modules/offers/catalogue/CatalogueOfferPage.tsx';
import { GuidanceRequestPage } from './modules/guidance/GuidanceRequestPage.tsx';
import { SelfAssessmentListPage, SelfAssessmentPage } from './modules/offers/self-assessment/SelfAssessmentPages.tsx';
import { CaseLibraryPage } from './modules/cases/CaseLibraryPage.tsx';
import { CaseStoryPage } from './modules/cases/CaseStoryPage.tsx';
import { EventCancelPage, EventSignUpPage, PublicEventsPage } from './modules/events/PublicEventPages.tsx';

/** A page loaded when its route is first visited (the module's named export). */
function lazyNamed<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

/*
 * The public pages (catalogue, self-assessment, "Få vejledning", case library, answer and sign-up
 * pages) are in the entry chunk; the back office, its layout included, is loaded per page, so a
 * visitor is never sent its code.
 */
const Layout = lazyNamed(() => import('./Layout.tsx'), 'Layout');
const LoginPage = lazyNamed(() => import('./modules/auth/LoginPage.tsx'), 'LoginPage');
const SearchPage = lazyNamed(() => import('./modules/companies/SearchPage.tsx'), 'SearchPage');
const CompanyPage = lazyNamed(() => import('./modules/companies/CompanyPage.tsx'), 'CompanyPage');
const ProspectsPage = lazyNamed(() => import('./modules/prospects/ProspectsPage.tsx'), 'ProspectsPage');
const UsersPage = lazyNamed(() => import('./modules/users/UsersPage.tsx'), 'UsersPage');
const SettingsPage = lazyNamed(() => import('./modules/users/SettingsPage.tsx'), 'SettingsPage');
const MyWorkPage = lazyNamed(() => import('./modules/work/MyWorkPage.tsx'), 'MyWorkPage');
const EngagementPage = lazyNamed(() => import('./modules/engagements/EngagementPage.tsx'), 'EngagementPage');
const EngagementFormPage = lazyNamed(() => import('./modules/engagements/EngagementFormPage.tsx'), 'EngagementFormPage');
const ReferralsPage = lazyNamed(() => import('./modules/referrals/ReferralsPage.tsx'), 'ReferralsPage');
const ReferralPage = lazyNamed(() => import('./modules/referrals/ReferralPage.tsx'), 'ReferralPage');
const AuditPage = lazyNamed(() => import('./modules/audit/AuditPage.tsx'), 'AuditPage');
const EvaluationDashboardPage = lazyNamed(() => import('./modules/evaluations/EvaluationDashboardPage.tsx'), 'EvaluationDashboardPage');
const ContractsPage = lazyNamed(() => import('./modules/contracts/ContractsPage.tsx'), 'ContractsPage');
const ActionPlanNewPage = lazyNamed(() => import('./modules/action-plans/ActionPlansPage.tsx'), 'ActionPlanNewPage');
const ActionPlansPage = lazyNamed(() => import('./modules/action-plans/ActionPlansPage.tsx'), 'ActionPlansPage');
const ActionPlanPage = lazyNamed(() => import('./modules/action-plans/ActionPlanPage.tsx'), 'ActionPlanPage');
const SurveysPage = lazyNamed(() => import('./modules/surveys/SurveysPage.tsx'), 'SurveysPage');
const SurveyBuilderPage = lazyNamed(() => import('./modules/surveys/SurveyBuilderPage.tsx'), 'SurveyBuilderPage');
const SurveyPage = lazyNamed(() => import('./modules/surveys/SurveyPage.tsx'), 'SurveyPage');
const SurveyResultsPage = lazyNamed(() => import('./modules/surveys/SurveyResultsPage.tsx'), 'SurveyResultsPage');
const ContractDashboardPage = lazyNamed(() => import('./modules/contracts/ContractDashboardPage.tsx'), 'ContractDashboardPage');
const ContractStatusReportPage = lazyNamed(() => import('./modules/contracts/ContractStatusReportPage.tsx'), 'ContractStatusReportPage');
const LeadsPage = lazyNamed(() => import('./modules/guidance/LeadsPage.tsx'), 'LeadsPage');
const LeadPage = lazyNamed(() => import('./modules/guidance/LeadPage.tsx'), 'LeadPage');
const OffersPage = lazyNamed(() => import('./modules/offers/OffersPage.tsx'), 'OffersPage');
const OfferEditPage = lazyNamed(() => import('./modules/offers/OfferEditPage.tsx'), 'OfferEditPage');
const CasesPage = lazyNamed(() => import('./modules/cases/CasesPage.tsx'), 'CasesPage');
const CaseEditPage = lazyNamed(() => import('./modules/cases/CaseEditPage.tsx'), 'CaseEditPage');
const SendCasesPage = lazyNamed(() => import('./modules/cases/SendCasesPage.tsx'), 'SendCasesPage');
const EventsPage = lazyNamed(() => import('./modules/events/EventsPage.tsx'), 'EventsPage');
const EventPage = lazyNamed(() => import('./modules/events/EventPage.tsx'), 'EventPage');
const EventFormPage = lazyNamed(() => import('./modules/events/EventFormPage.tsx'), 'EventFormPage');
const NetworksPage = lazyNamed(() => import('./modules/events/NetworksPage.tsx'), 'NetworksPage');
const MatchmakingPage = lazyNamed(() => import('./modules/matchmaking/MatchmakingPage.tsx'), 'MatchmakingPage');
const MatchPage = lazyNamed(() => import('./modules/matchmaking/MatchPage.tsx'), 'MatchPage');
const MatchRegisterPage = lazyNamed(() => import('./modules/match-register/MatchRegisterPage.tsx'), 'MatchRegisterPage');
const MatchProjectPage = lazyNamed(() => import('./modules/match-register/MatchProjectPage.tsx'), 'MatchProjectPage');
const MatchProjectNewPage = lazyNamed(() => import('./modules/match-register/MatchProjectNewPage.tsx'), 'MatchProjectNewPage');

export function App() {
  return (
    <>
      <UnauthorizedWatcher />
      {/* After a submit that navigates with `focusHeading`, the new page's h1 takes focus. */}
      <HeadingFocusOnArrival />
      <UnsavedChangesGuard />
      {/* Until a back-office page (or its layout) has loaded; within the layout its own boundary keeps the menus shown. */}
      <Suspense fallback={<Loading />}>
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
      </Suspense>
    </>
  );
}
