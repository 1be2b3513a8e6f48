import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { libraryApi } from './api.ts';
import { CaseCard } from './CaseLibraryPage.tsx';

/** On an offer's public page: the public case stories that mention it (nothing at all when there are none). */
export function OfferCases({ offerId }: { offerId: string }) {
  const { t } = useI18n();
  const cases = useQuery({ queryKey: ['public-cases', { offer: offerId }], queryFn: () => libraryApi.search({ offer: offerId }, 6) });
  if (!cases.data || cases.data.items.length === 0) return null;
  return (
    <section aria-labelledby="offer-cases" className="mt-7 kp-offer-cases">
      <h2 id="offer-cases">{t('cases.library.forOffer')}</h2>
      <ul className="kp-card-list">
        {cases.data.items.map((c) => (
          <CaseCard key={c.id} story={c} />
        ))}
      </ul>
    </section>
  );
}
