/**
 * One match: both sides, who accepted, each company's consent to the introduction, the contact persons
 * once both agreed, and the actions the server's abilities allow. After each action the result is
 * announced in a status message that takes focus.
 */
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow } from '../../shared/components/ui.tsx';
import { useCompanyContacts } from '../contacts/api.ts';
import { CONSENT_CHANNELS, type ConsentChannel } from '../consents/api.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { matchmakingApi, type Match, type MatchSide } from './api.ts';
import { counterpartName, Reasons } from './MatchmakingPage.tsx';

export function MatchPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const qc = useQueryClient();
  const match = useQuery({ queryKey: ['match', id], queryFn: () => matchmakingApi.match(id) });
  const justProposed = (location.state as { proposed?: boolean } | null)?.proposed === true;
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const notFound = match.error instanceof ApiError && match.error.status === 404;
  usePageTitle(match.data ? t('mmMatch.heading', { a: counterpartName(match.data.a), b: counterpartName(match.data.b) }) : notFound ? t('mmMatch.notFound') : t('mmMatch.title'));

  const done = (text: string) => (updated: Match) => {
    qc.setQueryData(['match', id], updated);
    void qc.invalidateQueries({ queryKey: ['matches'] });
    void qc.invalidateQueries({ queryKey: ['suggestions'] });
    setNotice((old) => ({ text, n: (old?.n ?? 0) + 1 }));
  };
  const sideName = (side: 'a' | 'b') => (match.data ? counterpartName(match.data[side]) : '');
  const accept = useMutation({ mutationFn: (side: 'a' | 'b') => matchmakingApi.accept(id, side), onSuccess: (m, side) => done(t('mmMatch.acceptedNotice', { side: sideName(side) }))(m) });
  const introduce = useMutation({ mutationFn: () => matchmakingApi.introduce(id), onSuccess: (m) => done(t('mmMatch.introducedNotice'))(m) });
  const decline = useMutation({ mutationFn: () => matchmakingApi.decline(id), onSuccess: (m) => done(t('mmMatch.declinedNotice'))(m) });

  if (match.isPending) return <Loading />;
  if (notFound) {
    return (
      <>
        <h1>{t('mmMatch.notFound')}</h1>
        <p>
          <Link to="/matchmaking">{t('mmMatch.back')}</Link>
        </p>
      </>
    );
  }
  if (match.isError) {
    return (
      <>
        <h1>{t('mmMatch.title')}</h1>
        <ErrorAlert error={match.error} />
      </>
    );
  }
  const m = match.data;
  const can = m.abilities;
  return (
    <>
      <p className="kp-back">
        <Link to="/matchmaking" className="back-link">
          {t('mmMatch.back')}
        </Link>
      </p>
      <h1>{t('mmMatch.heading', { a: counterpartName(m.a), b: counterpartName(m.b) })}</h1>
      {notice ? <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert> : justProposed && <SuccessAlert>{t('mmMatch.proposedNotice')}</SuccessAlert>}
      <ErrorAlert error={accept.error ?? introduce.error ?? decline.error} />
      <dl className="kp-dl">
        <DlRow label={t('mmMatch.status')}>
          <span className="kp-match-status">{t(`mmMatch.status.${m.status}`)}</span>
        </DlRow>
        <DlRow label={t('mmMatch.score')}>{t('mm.scoreOf', { score: m.score })}</DlRow>
        <DlRow label={t('mmMatch.reasons')}>
          <Reasons reasons={m.reasons} />
        </DlRow>
        <DlRow label={t('mmMatch.proposedBy')}>{m.proposedBy.name}</DlRow>
        {m.note && <DlRow label={t('mmMatch.note')}>{m.note}</DlRow>}
      </dl>
      <div className="kp-match-sides">
        {(['a', 'b'] as const).map((side) => (
          <SideView
            key={side}
            matchId={m.id}
            side={side}
            s={m[side]}
            canAccept={side === 'a' ? can.acceptA : can.acceptB}
            canAgree={side === 'a' ? can.agreeA : can.agreeB}
            accepting={accept.isPending}
            onAccept={() => accept.mutate(side)}
            onAgreed={(updated) => done(t('mmMatch.agreedNotice', { company: counterpartName(m[side]) }))(updated)}
          />
        ))}
      </div>
      {m.cases && m.cases.length > 0 && (
        <section aria-labelledby="match-cases" className="mt-7 kp-match-cases">
          <h2 id="match-cases">{t('mmMatch.cases')}</h2>
          <p>{t('mmMatch.casesIntro')}</p>
          <ul>
            {m.cases.map((c) => (
              <li key={c.id}>
                <Link to={`/historier/${c.id}`}>{c.title}</Link>
                {c.company.name && <> ({c.company.name})</>}
                {c.summary && <p className="mt-2 mb-4">{c.summary}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(can.introduce || can.decline) && (
        <div className="mt-7 kp-match-actions">
          {can.introduce && (
            <>
              <p id="mm-introduce-hint">{t('mmMatch.introduceHint')}</p>
              <button type="button" className="button button-primary" aria-describedby="mm-introduce-hint" disabled={introduce.isPending} onClick={() => introduce.mutate()}>
                {t('mmMatch.introduce')}
              </button>
            </>
          )}
          {can.decline && (
            <button type="button" className="button button-tertiary ml-3" disabled={decline.isPending} onClick={() => decline.mutate()}>
              {t('mmMatch.decline')}
            </button>
          )}
        </div>
      )}
    </>
  );
}

function SideView({
  matchId, side, s, canAccept, canAgree, accepting, onAccept, onAgreed,
}: {
  matchId: string; side: 'a' | 'b'; s: MatchSide; canAccept: boolean; canAgree: boolean; accepting: boolean; onAccept: () => void; onAgreed: (m: Match) => void;
}) {
  const { t, d } = useI18n();
  const headingId = `match-side-${side}`;
  const name = counterpartName(s);
  return (
    <section aria-labelledby={headingId} className="mt-7 kp-match-side" data-side={side}>
      <h2 id={headingId}>
        {t(side === 'a' ? 'mmMatch.sideA' : 'mmMatch.sideB')}: {s.company ? <Link to={`/virksomheder/${s.company.cvr}`}>{name}</Link> : name}
      </h2>
      <dl className="kp-dl">
        <DlRow label={t('coop.col.title')}>
          {s.itemKind ? `${t(`coop.kind.${s.itemKind}`)}: ` : `${t(`mm.kind.${s.kind}`)}: `}
          {s.title}
        </DlRow>
        {s.themes.length > 0 && <DlRow label={t('coop.col.themes')}>{s.themes.map((k) => themeLabel(t, k)).join(', ')}</DlRow>}
        <DlRow label={t('mmMatch.holder')}>{s.holder.name}</DlRow>
        <DlRow label={t('mmMatch.accepted')}>{s.acceptedAt ? d(s.acceptedAt) : t('mmMatch.notAcceptedYet')}</DlRow>
        <DlRow label={t('mmMatch.agreement')}>
          {!s.agreement
            ? t('mmMatch.noAgreementNeeded')
            : s.agreement.inForce
              ? `${t('mmMatch.agreementGiven', { name: s.agreement.givenByName ?? '' })}, ${s.agreement.givenAt ? d(s.agreement.givenAt) : ''}`
              : s.agreement.consentId
                ? t('mmMatch.agreementWithdrawn')
                : t('mmMatch.agreementMissing')}
        </DlRow>
        {s.agreement && (
          <DlRow label={t('mmMatch.contacts')}>
            {s.contacts === null ? (
              t('mmMatch.contactsHidden')
            ) : (
              <ul className="kp-plain-list kp-match-contacts">
                {s.contacts.map((c) => (
                  <li key={c.id}>
                    {[c.name, c.title, c.email, c.phone].filter(Boolean).join(', ')}
                  </li>
                ))}
              </ul>
            )}
          </DlRow>
        )}
        {s.publicContact && <DlRow label={t('mmMatch.publicContact')}>{[s.publicContact.name, s.publicContact.email].filter(Boolean).join(', ')}</DlRow>}
      </dl>
      {canAccept && (
        <button type="button" className="button button-secondary" disabled={accepting} onClick={onAccept}>
          {t('mmMatch.accept', { side: name })}
        </button>
      )}
      {canAgree && s.company && <AgreementForm matchId={matchId} side={side} cvr={s.company.cvr} company={name} holderId={s.holder.id} onAgreed={onAgreed} />}
    </section>
  );
}

function AgreementForm({ matchId, side, cvr, company, holderId, onAgreed }: { matchId: string; side: 'a' | 'b'; cvr: string; company: string; holderId: string; onAgreed: (m: Match) => void }) {
  const { t } = useI18n();
  const contacts = useCompanyContacts(cvr);
  // Only the holder's own contact persons can be passed on (the server refuses others).
  const own = (contacts.data?.items ?? []).filter((c) => !c.erased && c.organisation.id === holderId);
  const [chosen, setChosen] = useState<string[]>([]);
  const [givenBy, setGivenBy] = useState('');
  const [givenByName, setGivenByName] = useState('');
  const [channel, setChannel] = useState<ConsentChannel>('phone');
  const giver = own.find((c) => c.id === givenBy);
  const agree = useMutation({
    mutationFn: () => matchmakingApi.agree(matchId, { side, contactIds: chosen, givenByContactId: giver?.id, givenByName: giver ? giver.name : givenByName.trim(), channel }),
    onSuccess: onAgreed,
  });
  const fe = fieldErrorsOf(agree.error);
  const idp = `agree-${side}`;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    agree.mutate();
  };
  if (contacts.isPending) return <Loading />;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-5 kp-agreement-form" aria-labelledby={`${idp}-heading`}>
      <h3 id={`${idp}-heading`}>{t('mmMatch.agreeHeading', { company })}</h3>
      <p>{t('mmMatch.agreeIntro')}</p>
      <ErrorAlert error={agree.error} />
      {own.length === 0 ? (
        <p>{t('mmMatch.agreeNoContacts')}</p>
      ) : (
        <>
          <div className={`form-group${fe.contactIds ? ' form-error' : ''}`}>
            <fieldset>
              <legend className="form-label">{t('mmMatch.agreeContacts')}</legend>
              {fe.contactIds && <span className="form-error-message">{fe.contactIds}</span>}
              {own.map((c) => (
                <div className="form-group-checkbox" key={c.id}>
                  <input
                    type="checkbox"
                    className="form-checkbox"
                    id={`${idp}-contact-${c.id}`}
                    checked={chosen.includes(c.id)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))}
                  />
                  <label className="form-label" htmlFor={`${idp}-contact-${c.id}`}>
                    {[c.name, c.email].filter(Boolean).join(', ')}
                  </label>
                </div>
              ))}
            </fieldset>
          </div>
          <Field id={`${idp}-given-by`} label={t('mmMatch.givenBy')} error={fe.givenByContactId}>
            {(db) => (
              <select id={`${idp}-given-by`} className="form-select" value={givenBy} onChange={(e) => setGivenBy(e.target.value)} aria-describedby={db}>
                <option value="">{t('consents.givenByOther')}</option>
                {own.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {!giver && (
            <Field id={`${idp}-given-name`} label={t('mmMatch.givenByName')} error={fe.givenByName}>
              {(db) => <input id={`${idp}-given-name`} className="form-input" required aria-required="true" value={givenByName} onChange={(e) => setGivenByName(e.target.value)} aria-describedby={db} aria-invalid={fe.givenByName ? true : undefined} />}
            </Field>
          )}
          <Field id={`${idp}-channel`} label={t('mmMatch.channel')} error={fe.channel}>
            {(db) => (
              <select id={`${idp}-channel`} className="form-select" value={channel} onChange={(e) => setChannel(e.target.value as ConsentChannel)} aria-describedby={db}>
                {CONSENT_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="button button-primary mt-5" disabled={agree.isPending}>
            {t('mmMatch.agreeSubmit')}
          </button>
        </>
      )}
    </form>
  );
}
