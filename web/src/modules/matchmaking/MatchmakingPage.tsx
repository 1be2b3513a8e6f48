/**
 * The matchmaking page: the organisation's open needs and offers, the suggestions for the chosen one
 * with their score and its parts, and the matches the organisation is a party to.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, focusHeading, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { matchmakingApi, type Counterpart, type Match, type Reason, type Suggestion } from './api.ts';

export function Reasons({ reasons }: { reasons: Reason[] }) {
  const { t } = useI18n();
  return (
    <ul className="kp-plain-list kp-reasons">
      {reasons.map((r) => (
        <li key={r.kind}>{t('mm.reasonLine', { kind: t(`mm.reason.${r.kind}` as MessageKey), detail: r.detail, weight: r.weight })}</li>
      ))}
    </ul>
  );
}

export function counterpartName(c: Pick<Counterpart, 'company' | 'title'>) {
  return c.company ? c.company.name : c.title;
}

export function MatchmakingPage() {
  const { t } = useI18n();
  usePageTitle(t('mm.title'));
  const [params, setParams] = useSearchParams();
  const own = useQuery({ queryKey: ['cooperation', 'own'], queryFn: () => matchmakingApi.own() });
  const matches = useQuery({ queryKey: ['matches'], queryFn: () => matchmakingApi.matches() });
  const chosen = params.get('item') ?? own.data?.items[0]?.id ?? '';

  return (
    <>
      <h1>{t('mm.title')}</h1>
      <p>{t('mm.intro')}</p>
      <section aria-labelledby="mm-own" className="mt-5">
        <h2 id="mm-own">{t('mm.own')}</h2>
        {own.isPending ? (
          <Loading />
        ) : own.isError ? (
          <ErrorAlert error={own.error} />
        ) : own.data.items.length === 0 && !params.get('item') ? (
          <p>{t('mm.ownEmpty')}</p>
        ) : (
          <div className="form-group">
            <label className="form-label" htmlFor="mm-item">
              {t('mm.choose')}
            </label>
            <select id="mm-item" className="form-select" value={chosen} onChange={(e) => setParams({ item: e.target.value }, { replace: true })}>
              {!own.data.items.some((i) => i.id === chosen) && chosen && <option value={chosen}>{chosen}</option>}
              {own.data.items.map((i) => (
                <option key={i.id} value={i.id}>
                  {t(`coop.kind.${i.kind}`)}: {i.title} ({i.company.name})
                </option>
              ))}
            </select>
          </div>
        )}
      </section>
      {chosen && <Suggestions itemId={chosen} />}
      <section aria-labelledby="mm-matches" className="mt-7">
        <h2 id="mm-matches">{t('mm.matches')}</h2>
        {matches.isPending ? <Loading /> : matches.isError ? <ErrorAlert error={matches.error} /> : <MatchTable matches={matches.data.items} />}
      </section>
    </>
  );
}

function Suggestions({ itemId }: { itemId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const suggestions = useQuery({ queryKey: ['suggestions', itemId], queryFn: () => matchmakingApi.suggestions(itemId) });
  const propose = useMutation({
    mutationFn: (s: Suggestion) =>
      matchmakingApi.propose({
        itemId,
        counterpart:
          s.counterpart.kind === 'company'
            ? { kind: 'company', itemId: s.counterpart.id }
            : s.counterpart.kind === 'offer'
              ? { kind: 'offer', offerId: s.counterpart.id }
              : { kind: 'institution', organisationId: s.counterpart.id },
      }),
    // The new match's page, its heading focused: what to do next is there.
    onSuccess: (match) => navigate(`/matchmaking/match/${match.id}`, { state: { ...focusHeading, proposed: true } }),
  });
  if (suggestions.isPending) return <Loading />;
  if (suggestions.isError) return <ErrorAlert error={suggestions.error} />;
  const { item, items } = suggestions.data;
  return (
    <section aria-labelledby="mm-suggestions" className="mt-7">
      <h2 id="mm-suggestions">{t('mm.suggestionsFor', { title: item.title })}</h2>
      <p className="kp-muted">
        {item.company.name} · {item.themes.map((k) => themeLabel(t, k)).join(', ')}
      </p>
      <ErrorAlert error={propose.error} />
      {items.length === 0 ? (
        <p>{t('mm.noSuggestions')}</p>
      ) : (
        <ScrollRegion>
          <table className="table table--compact kp-suggestions">
            <caption className="sr-only">{t('mm.suggestionsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mm.col.counterpart')}</th>
                <th scope="col">{t('mm.col.score')}</th>
                <th scope="col">{t('mm.col.reasons')}</th>
                <th scope="col">{t('mm.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={`${s.counterpart.kind}-${s.counterpart.id}`}>
                  <td>
                    <strong>{counterpartName(s.counterpart)}</strong>
                    <div>{s.counterpart.company ? s.counterpart.title : t(`mm.kind.${s.counterpart.kind}`)}</div>
                    <div className="kp-muted">
                      {s.counterpart.itemKind ? t(`coop.kind.${s.counterpart.itemKind}`) : t(`mm.kind.${s.counterpart.kind}`)} · {s.counterpart.holder.name}
                    </div>
                  </td>
                  <td className="kp-nowrap">{t('mm.scoreOf', { score: s.score })}</td>
                  <td>
                    <Reasons reasons={s.reasons} />
                  </td>
                  <td className="kp-nowrap">
                    {s.matchId ? (
                      <Link to={`/matchmaking/match/${s.matchId}`}>{t('mm.openMatch')}</Link>
                    ) : (
                      s.abilities.propose && (
                        <button type="button" className="button button-secondary" disabled={propose.isPending} onClick={() => propose.mutate(s)} aria-label={t('mm.proposeLabel', { title: counterpartName(s.counterpart) })}>
                          {t('mm.propose')}
                        </button>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

function MatchTable({ matches }: { matches: Match[] }) {
  const { t, d } = useI18n();
  if (matches.length === 0) return <p>{t('mm.matchesEmpty')}</p>;
  return (
    <ScrollRegion>
      <table className="table table--compact kp-matches">
        <caption className="sr-only">{t('mm.matchesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('mm.col.sides')}</th>
            <th scope="col">{t('mm.col.score')}</th>
            <th scope="col">{t('mm.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {matches.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={`/matchmaking/match/${m.id}`}>
                  {counterpartName(m.a)} ↔ {counterpartName(m.b)}
                </Link>
                <div className="kp-muted">
                  {m.a.title} ↔ {m.b.title} · {d(m.proposedAt)}
                </div>
              </td>
              <td className="kp-nowrap">{t('mm.scoreOf', { score: m.score })}</td>
              <td>{t(`mmMatch.status.${m.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
