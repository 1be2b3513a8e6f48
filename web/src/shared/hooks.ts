import { useQuery } from '@tanstack/react-query';
import { api, ApiError, request, type CodeName, type User } from './api.ts';
import { catalogueApi, type PublicOffer } from '../modules/offers/catalogue/api.ts';
import { useI18n } from './i18n.tsx';

export function useMunicipalities() {
  return useQuery({
    queryKey: ['municipalities'],
    queryFn: async () => (await api.municipalities()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: Infinity,
  });
}

/** The 98 municipalities by code and name, without a session (the public pages), in Danish order. */
export function usePublicMunicipalities() {
  return useQuery({
    queryKey: ['public-municipalities'],
    queryFn: async () => (await request<{ items: CodeName[] }>('GET', '/public/municipalities')).items,
    staleTime: Infinity,
  });
}

export function useOrganisations(enabled: boolean) {
  return useQuery({
    queryKey: ['organisations'],
    queryFn: async () => (await api.organisations()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useThemes() {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['themes', lang],
    queryFn: async () => (await api.themes()).items,
    staleTime: Infinity,
  });
}

/** Theme key → localised name (falls back to the key while loading or for unknown keys). */
export function useThemeName(): (key: string) => string {
  const themes = useThemes();
  return (key) => themes.data?.find((t) => t.key === key)?.name ?? key;
}

export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: ['colleagues'],
    queryFn: async () => (await api.colleagues()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useDeliveryCategories(organisationId: string | undefined) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['delivery-categories', organisationId, lang],
    queryFn: async () => (await api.deliveryCategories(organisationId!)).items,
    staleTime: 10 * 60_000,
    enabled: !!organisationId,
  });
}

/** A published offer; null for a malformed id (400) or an unknown or unpublished offer (404). No id, no query. */
export function usePublicOffer(id: string) {
  return useQuery<PublicOffer | null>({
    queryKey: ['public-offer', id],
    enabled: !!id,
    queryFn: async () => {
      try {
        return await catalogueApi.offer(id);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return null;
        throw e;
      }
    },
  });
}

/** KKR and national users see aggregates only: no company-level CRM data. */
export function isAggregateOnly(user: User | undefined): boolean {
  return !!user && (user.organisation.type === 'kkr' || user.organisation.type === 'national_authority');
}

/** Whether the signed-in user may record things (readers may not). */
export function canWrite(user: User | undefined): boolean {
  return !!user && user.role !== 'reader' && !isAggregateOnly(user);
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
