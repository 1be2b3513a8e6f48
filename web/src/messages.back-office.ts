/**
 * The back office's own strings, both languages, registered when its layout is loaded, so none of
 * them is in a visitor's bundle (see messages.public.ts).
 */
import { registerMessages } from './shared/i18n.tsx';
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
import { contractsDa, contractsEn } from './modules/contracts/messages.ts';
import { searchDa, searchEn } from './modules/search/messages.ts';
import { actionPlansDa, actionPlansEn } from './modules/action-plans/messages.ts';
import { matchmakingDa, matchmakingEn } from './modules/matchmaking/messages.ts';
import { matchRegisterDa, matchRegisterEn } from './modules/match-register/messages.ts';

registerMessages('da', {
  ...companiesDa, ...prospectsDa, ...usersDa, ...auditDa, ...workDa, ...tasksDa, ...engagementsDa, ...activitiesDa, ...contactsDa, ...consentsDa, ...referralsDa, ...contractsDa, ...searchDa, ...actionPlansDa, ...matchmakingDa, ...matchRegisterDa,
});
registerMessages('en', {
  ...companiesEn, ...prospectsEn, ...usersEn, ...auditEn, ...workEn, ...tasksEn, ...engagementsEn, ...activitiesEn, ...contactsEn, ...consentsEn, ...referralsEn, ...contractsEn, ...searchEn, ...actionPlansEn, ...matchmakingEn, ...matchRegisterEn,
});
