import type { MessageKey, TParams } from '../../../shared/i18n.tsx';
import { CATALOGUE_FORMATS, CATALOGUE_PHASES, CATALOGUE_TARGET_GROUPS, CATALOGUE_THEMES, isOneOf } from './options.ts';

type T = (key: MessageKey, params?: TParams) => string;

/** Labels for the catalogue's keys; an unknown key (a newer server) is shown as it is. */
export const themeLabel = (t: T, k: string) => (isOneOf(CATALOGUE_THEMES, k) ? t(`catalogue.theme.${k}`) : k);
export const targetGroupLabel = (t: T, k: string) => (isOneOf(CATALOGUE_TARGET_GROUPS, k) ? t(`catalogue.target.${k}`) : k);
export const phaseLabel = (t: T, k: string) => (isOneOf(CATALOGUE_PHASES, k) ? t(`catalogue.phase.${k}`) : k);
export const formatLabel = (t: T, k: string) => (isOneOf(CATALOGUE_FORMATS, k) ? t(`catalogue.format.${k}`) : k);
export const priceLabel = (t: T, p: 'free' | 'paid') => (p === 'free' ? t('catalogue.price.free') : t('catalogue.price.paid'));
