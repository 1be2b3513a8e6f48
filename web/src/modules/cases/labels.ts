import type { MessageKey, TParams } from '../../shared/i18n.tsx';
import { CASE_BENEFITS, CASE_INDUSTRIES, CASE_JOB_CONTENTS, CASE_REGIONS, CASE_SIZES, isOneOf } from './options.ts';

type T = (key: MessageKey, params?: TParams) => string;

/** Labels for the tag keys; an unknown key (a newer server) is shown as it is. */
export const industryLabel = (t: T, k: string) => (isOneOf(CASE_INDUSTRIES, k) ? t(`cases.industry.${k}`) : k);
export const jobContentLabel = (t: T, k: string) => (isOneOf(CASE_JOB_CONTENTS, k) ? t(`cases.job.${k}`) : k);
export const sizeLabel = (t: T, k: string) => (isOneOf(CASE_SIZES, k) ? t(`cases.size.${k}`) : k);
export const benefitLabel = (t: T, k: string) => (isOneOf(CASE_BENEFITS, k) ? t(`cases.benefit.${k}`) : k);
export const regionLabel = (t: T, k: string) => (isOneOf(CASE_REGIONS, k) ? t(`cases.region.${k}`) : k);
