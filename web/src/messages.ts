/**
 * The app's dictionaries: every module keeps its own strings beside its pages (`modules/<domain>/messages.ts`);
 * this file only puts them together, so a key missing in English fails the type check.
 */
import { sharedDa, sharedEn } from './shared/messages.ts';
import { disclosureDa, disclosureEn } from './shared/disclosure/messages.ts';
import { authDa, authEn } from './modules/auth/messages.ts';
import { companiesDa, companiesEn } from './modules/companies/messages.ts';
import { prospectsDa, prospectsEn } from './modules/prospects/messages.ts';
import { usersDa, usersEn } from './modules/users/messages.ts';
import { auditDa, auditEn } from './modules/audit/messages.ts';
import { workDa, workEn } from './modules/work/messages.ts';
import { tasksDa, tasksEn } from './modules/tasks/messages.ts';
import { engagementsDa, engagementsEn } from './modules/engagements/messages.ts';
import { activitiesDa, activitiesEn } from './modules/activities/messages.ts';
import { contactsDa, contactsEn } from './modules/contacts/messages.ts';
import { consentsDa, consentsEn } from './modules/consents/messages.ts';
import { referralsDa, referralsEn } from './modules/referrals/messages.ts';
import { evaluationsDa, evaluationsEn } from './modules/evaluations/messages.ts';
import { contractsDa, contractsEn } from './modules/contracts/messages.ts';
import { offersDa, offersEn } from './modules/offers/messages.ts';
import { catalogueDa, catalogueEn } from './modules/offers/catalogue/messages.ts';
import { selfAssessmentDa, selfAssessmentEn } from './modules/offers/self-assessment/messages.ts';
import { guidanceDa, guidanceEn } from './modules/guidance/messages.ts';
import { searchDa, searchEn } from './modules/search/messages.ts';
import { actionPlansDa, actionPlansEn } from './modules/action-plans/messages.ts';
import { surveysDa, surveysEn } from './modules/surveys/messages.ts';
import { eventsDa, eventsEn } from './modules/events/messages.ts';
import { casesDa, casesEn } from './modules/cases/messages.ts';
import { matchmakingDa, matchmakingEn } from './modules/matchmaking/messages.ts';
import { matchRegisterDa, matchRegisterEn } from './modules/match-register/messages.ts';

export type Lang = 'da' | 'en';

export const da = {
  ...sharedDa, ...disclosureDa, ...authDa, ...companiesDa, ...prospectsDa, ...usersDa, ...auditDa, ...workDa, ...tasksDa, ...engagementsDa,
  ...activitiesDa, ...contactsDa, ...consentsDa, ...referralsDa, ...evaluationsDa, ...contractsDa, ...offersDa, ...catalogueDa,
  ...selfAssessmentDa, ...guidanceDa, ...searchDa, ...actionPlansDa, ...surveysDa, ...eventsDa, ...matchmakingDa,
  ...casesDa, ...matchRegisterDa,
};

export type MessageKey = keyof typeof da;

export const en: Record<MessageKey, string> = {
  ...sharedEn, ...disclosureEn, ...authEn, ...companiesEn, ...prospectsEn, ...usersEn, ...auditEn, ...workEn, ...tasksEn, ...engagementsEn,
  ...activitiesEn, ...contactsEn, ...consentsEn, ...referralsEn, ...evaluationsEn, ...contractsEn, ...offersEn, ...catalogueEn,
  ...selfAssessmentEn, ...guidanceEn, ...searchEn, ...actionPlansEn, ...surveysEn, ...eventsEn, ...matchmakingEn,
  ...casesEn, ...matchRegisterEn,
};
