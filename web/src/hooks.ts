import { useQuery } from '@tanstack/react-query';
import { api } from './api.ts';

export function useMunicipalities() {
  return useQuery({
    queryKey: ['municipalities'],
    queryFn: async () => (await api.municipalities()).items.slice().sort((a, b) => a.name.localeCompare(b.name, 'da')),
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
