/**
 * The strings of the public pages (catalogue, self-assessment, "Få vejledning", case library,
 * events, answer pages) and what they share with the back office: the only dictionary in a visitor's
 * bundle; the back office's own strings come with its layout (messages.back-office.ts). Both languages:
 * a module keeps them in one file, so splitting English off would not shrink the bundle. messages.ts
 * still puts every dictionary together for the type check.
 */
import type { MessageKey } from './messages.ts';
import { sharedDa, sharedEn } from './shared/messages.ts';
import { disclosureDa, disclosureEn } from './shared/disclosure/messages.ts';
import { authDa, authEn } from './modules/auth/messages.ts';
import { evaluationsDa, evaluationsEn } from './modules/evaluations/messages.ts';
import { offersDa, offersEn } from './modules/offers/messages.ts';
import { catalogueDa, catalogueEn } from './modules/offers/catalogue/messages.ts';
import { selfAssessmentDa, selfAssessmentEn } from './modules/offers/self-assessment/messages.ts';
import { guidanceDa, guidanceEn } from './modules/guidance/messages.ts';
import { surveysDa, surveysEn } from './modules/surveys/messages.ts';
import { eventsDa, eventsEn } from './modules/events/messages.ts';
import { casesDa, casesEn } from './modules/cases/messages.ts';

export const publicDa: Partial<Record<MessageKey, string>> = {
  ...sharedDa, ...disclosureDa, ...authDa, ...evaluationsDa, ...offersDa, ...catalogueDa, ...selfAssessmentDa, ...guidanceDa, ...surveysDa, ...eventsDa, ...casesDa,
};

export const publicEn: Partial<Record<MessageKey, string>> = {
  ...sharedEn, ...disclosureEn, ...authEn, ...evaluationsEn, ...offersEn, ...catalogueEn, ...selfAssessmentEn, ...guidanceEn, ...surveysEn, ...eventsEn, ...casesEn,
};
