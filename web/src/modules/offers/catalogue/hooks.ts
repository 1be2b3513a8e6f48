import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../shared/api.ts';
import { catalogueApi, type PublicOffer } from './api.ts';

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
