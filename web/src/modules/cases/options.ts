import type { CaseBenefit, CaseCompanySize, CaseIndustry, CaseJobContent, CaseRegion, CaseStatus } from '#server/modules/cases/schemas.ts';

/** The library's tag categories (those of seed 001, 5.2.6); `satisfies` holds them to the server's keys. */
export const CASE_INDUSTRIES = [
  'agriculture',
  'manufacturing',
  'construction',
  'trade_transport',
  'information_communication',
  'finance_insurance',
  'real_estate',
  'business_services',
  'public_education_health',
  'culture_leisure',
] as const satisfies readonly CaseIndustry[];

export const CASE_JOB_CONTENTS = [
  'data_analysis',
  'software_development',
  'marketing_communication',
  'sales_export',
  'project_management',
  'engineering',
  'finance_administration',
  'hr_organisation',
  'sustainability',
  'research_development',
  'production_logistics',
  'strategy_business_development',
] as const satisfies readonly CaseJobContent[];

export const CASE_SIZES = ['micro', 'small', 'medium', 'large'] as const satisfies readonly CaseCompanySize[];

export const CASE_BENEFITS = [
  'growth',
  'new_competences',
  'innovation',
  'export',
  'efficiency',
  'first_graduate',
  'green_transition',
  'digitalisation',
  'recruitment',
  'jobs',
] as const satisfies readonly CaseBenefit[];

export const CASE_REGIONS = ['nordjylland', 'midtjylland', 'syddanmark', 'sjaelland', 'hovedstaden'] as const satisfies readonly CaseRegion[];

export const CASE_STATUSES = ['draft', 'published', 'archived'] as const satisfies readonly CaseStatus[];

export function isOneOf<T extends string>(list: readonly T[], v: string | null | undefined): v is T {
  return !!v && (list as readonly string[]).includes(v);
}
