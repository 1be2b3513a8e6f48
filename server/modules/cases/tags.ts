/**
 * The case library's tag categories, those of Vækst Via Viden 2.0 (seed 001, 5.2.6): industry,
 * geography, job content, company size and the benefit of the hire. Fixed lists, so that every
 * partner tags alike and a filter finds every case tagged so; the web names them (Danish first).
 */

/** Danmarks Statistik's 10-grouping of DB07 (branchegrupper). */
export const caseIndustries = [
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
] as const;

/** Job content: the tasks the person took on (jobindhold). */
export const caseJobContents = [
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
] as const;

/** Company size by employees, the EU's bands. */
export const caseCompanySizes = ['micro', 'small', 'medium', 'large'] as const;

/** The benefit the company got (udbytte af ansættelse, mv.). */
export const caseBenefits = [
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
] as const;

/** Geography: the five regions (each stands for its municipalities) and the municipalities themselves. */
export const caseRegions = { hovedstaden: 'Region Hovedstaden', midtjylland: 'Region Midtjylland', nordjylland: 'Region Nordjylland', sjaelland: 'Region Sjælland', syddanmark: 'Region Syddanmark' } as const;
export const caseRegionKeys = Object.keys(caseRegions) as [keyof typeof caseRegions, ...(keyof typeof caseRegions)[]];

/** The size band of a company with `employees` (CVR's figure), or null when unknown. */
export function sizeOf(employees: number | null | undefined): (typeof caseCompanySizes)[number] | null {
  if (employees === null || employees === undefined) return null;
  if (employees < 10) return 'micro';
  if (employees < 50) return 'small';
  if (employees < 250) return 'medium';
  return 'large';
}
