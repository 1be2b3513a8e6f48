import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { organisationsApi } from './api.ts';

export function useMunicipalities() {
  return useQuery({
    queryKey: ['municipalities'],
    queryFn: async () => (await organisationsApi.municipalities()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: Infinity,
  });
}

/** The 98 municipalities by code and name, without a session (the public pages), in Danish order. */
export function usePublicMunicipalities() {
  return useQuery({
    queryKey: ['public-municipalities'],
    queryFn: async () => (await organisationsApi.publicMunicipalities()).items,
    staleTime: Infinity,
  });
}

export function useOrganisations(enabled: boolean) {
  return useQuery({
    queryKey: ['organisations'],
    queryFn: async () => (await organisationsApi.organisations()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useThemes() {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['themes', lang],
    queryFn: async () => (await organisationsApi.themes()).items,
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
    queryFn: async () => (await organisationsApi.colleagues()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** A hub's delivery categories, each saying whether the caller may choose it (the server decides, not the web). */
export function useDeliveryCategories(organisationId: string | undefined) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['delivery-categories', organisationId, lang],
    queryFn: async () => (await organisationsApi.deliveryCategories(organisationId!)).items,
    staleTime: 10 * 60_000,
    enabled: !!organisationId,
  });
}
