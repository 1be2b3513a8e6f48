import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Ref, type User } from '../../shared/api.ts';
import { catalogueApi, type PublicOffer } from '../offers/catalogue/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { useColleagues, useDeliveryCategories, useOrganisations, useThemeName, useThemes } from '../organisations/hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, InfoAlert, Loading, SuccessAlert, toDanishDate, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { companyName, Disclosure, DlRow, isConflict } from '../../shared/components/ui.tsx';
import { ActivityForm, activityTypeKey } from '../activities/ActivityForm.tsx';
import { activitiesApi } from '../activities/api.ts';
import { OrganisationOptions } from '../organisations/OrganisationOptions.tsx';
import { ReferralCard } from '../referrals/components.tsx';
import { referralsApi } from '../referrals/api.ts';
import { engagementsApi, type EngagementChange, type EngagementDetail, type EngagementLevel } from './api.ts';
import { ConfidentialBadge, EngagementStatusBadge } from './components.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { CONSENT_CHANNELS, useCompanyConsents, type ConsentChannel } from '../consents/api.ts';
import { useCompanyContacts } from '../contacts/api.ts';

export function EngagementPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data?.user;
  const readCrm = !!session.data?.abilities.readCrm;
  const engagement = useQuery({
    queryKey: ['engagement', id],
    queryFn: () => engagementsApi.get(id),
    enabled: readCrm,
  });
  const notFound = engagement.error instanceof ApiError && (engagement.error.status === 404 || engagement.error.status === 403);
  const subject = engagement.data ? (engagement.data.company ? companyName(engagement.data.company) : (engagement.data.prospect?.personName ?? '')) : '';
  const title = notFound ? t('engagement.notFound') : subject ? t('engagement.titleFor', { name: subject }) : t('engagement.title');
  usePageTitle(title);

  if (!user) return <Loading />;
  if (!readCrm) {
    return (
      <>
        <h1>{t('engagement.title')}</h1>
        <AggregateOnlyNote />
      </>
    );
  }
  if (engagement.isPending) return <Loading />;
  if (notFound) {
    return (
      <>
        <h1>{t('engagement.notFound')}</h1>
        <p>{t('engagement.notFoundText')}</p>
        <p>
          <Link to="/mit-arbejde">{t('myWork.title')}</Link>
        </p>
      </>
    );
  }
  if (engagement.isError) {
    return (
      <>
        <h1>{t('engagement.title')}</h1>
        <ErrorAlert error={engagement.error} />
      </>
    );
  }
  return <EngagementView e={engagement.data} user={user} title={title} />;
}

function EngagementView({ e, user, title }: { e: EngagementDetail; user: User; title: string }) {
  const { t, d, n, dt } = useI18n();
  const themeName = useThemeName();
  const none = t('common.none');
  const own = e.organisation.id === user.organisation.id;
  // What the caller may do is the server's answer; that a closed engagement takes no more is its state.
  const open = e.status === 'open';
  const cvr = e.company?.cvr ?? '';
  const contacts = useCompanyContacts(cvr, !!cvr);

  return (
    <>
      {e.company && (
        <p className="kp-back">
          <Link to={`/virksomheder/${e.company.cvr}?fane=forloeb`} className="back-link">
            {t('engagement.back')}
          </Link>
        </p>
      )}
      <h1 className="kp-engagement-title">{title}</h1>
      <p className="kp-badges">
        <EngagementStatusBadge status={e.status} />
        {e.confidential && <ConfidentialBadge />}
      </p>
      {!own && <InfoAlert>{t('engagement.readOnly', { org: e.organisation.name })}</InfoAlert>}

      <section aria-labelledby="engagement-details">
        <h2 id="engagement-details">{t('engagement.details')}</h2>
        <dl className="kp-dl kp-engagement-dl">
          {e.company ? (
            <DlRow label={t('engagement.company')}>
              <Link to={`/virksomheder/${e.company.cvr}`}>{companyName(e.company)}</Link> (CVR {e.company.cvr})
            </DlRow>
          ) : (
            <DlRow label={t('engagement.prospect')}>{e.prospect?.personName ?? none}</DlRow>
          )}
          <DlRow label={t('engagement.organisation')}>{e.organisation.name}</DlRow>
          <DlRow label={t('engagement.responsible')}>{e.responsible.name}</DlRow>
          <DlRow label={t('engagement.level')}>{t(`level.${e.level}` as MessageKey)}</DlRow>
          <DlRow label={t('engagement.category')}>{e.deliveryCategory?.name ?? none}</DlRow>
          <DlRow label={t('engagement.themes')}>{e.themes.length ? e.themes.map(themeName).join(', ') : none}</DlRow>
          <DlRow label={t('engagement.status')}>{t(`engagementStatus.${e.status}` as MessageKey)}</DlRow>
          <DlRow label={t('engagement.openedOn')}>{d(e.openedOn)}</DlRow>
          {e.closedOn && <DlRow label={t('engagement.closedOn')}>{d(e.closedOn)}</DlRow>}
          {e.outcome && <DlRow label={t('engagement.outcome')}>{e.outcome}</DlRow>}
          <DlRow label={t('engagement.description')}>{e.description ? <span className="kp-pre">{e.description}</span> : none}</DlRow>
          {e.confidential && <DlRow label={t('engagement.confidential')}>{t('common.yes')}</DlRow>}
        </dl>
        {open && (e.abilities.change || e.abilities.close) && (
          <div className="mt-5">
            {e.abilities.change && (
              <Disclosure summary={t('engagement.edit')} className="kp-edit-engagement">
                <EditEngagement key={e.version} e={e} user={user} />
              </Disclosure>
            )}
            {e.abilities.close && (
              <Disclosure summary={t('engagement.close')} className="kp-close-engagement">
                <CloseEngagement key={e.version} e={e} />
              </Disclosure>
            )}
          </div>
        )}
        {own && e.status === 'closed' && <p className="mt-5">{t('engagement.isClosed')}</p>}
      </section>

      <section aria-labelledby="engagement-activities" className="mt-7">
        <h2 id="engagement-activities">{t('activities.title')}</h2>
        {open && e.abilities.logActivity && (
          <Disclosure summary={t('activity.register')} className="kp-engagement-activity">
            <ActivityForm
              idPrefix="engagement-activity"
              contacts={contacts.data?.items ?? []}
              submit={(input) => activitiesApi.addToEngagement(e.id, input)}
              invalidate={[['engagement', e.id], ...(cvr ? [['company', cvr, 'timeline']] : [])]}
            />
          </Disclosure>
        )}
        {e.activities.length === 0 ? (
          <p>{t('activities.empty')}</p>
        ) : (
          <div className="table--responsive-scroll">
            <table className="table table--zebra kp-activities">
              <caption className="sr-only">{t('activities.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('activity.occurredOn')}</th>
                  <th scope="col">{t('activity.type')}</th>
                  <th scope="col">{t('activity.subject')}</th>
                  <th scope="col">{t('activity.notes')}</th>
                  <th scope="col">{t('activity.duration')}</th>
                  <th scope="col">{t('activity.contact')}</th>
                  <th scope="col">{t('activity.by')}</th>
                </tr>
              </thead>
              <tbody>
                {e.activities.map((a) => (
                  <tr key={a.id}>
                    <td className="kp-nowrap">{d(a.occurredOn)}</td>
                    <td>{t(activityTypeKey(a.type))}</td>
                    <td>{a.subject}</td>
                    <td>{a.notes ? <span className="kp-pre">{a.notes}</span> : none}</td>
                    <td>{a.durationMinutes !== null ? t('common.minutes', { n: n(a.durationMinutes) }) : none}</td>
                    <td>{a.contact?.name ?? none}</td>
                    <td>
                      {a.user.name}, {a.organisation.name}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="engagement-referrals" className="mt-7">
        <h2 id="engagement-referrals">{t('referrals.ofEngagement')}</h2>
        {open && e.abilities.refer && (
          <Disclosure summary={t('referral.create')} className="kp-referral-create">
            <ReferralForm e={e} user={user} />
          </Disclosure>
        )}
        {e.referrals.length === 0 ? (
          <p>{t('referrals.noneOfEngagement')}</p>
        ) : (
          <ul className="kp-card-list">
            {e.referrals.map((r) => (
              <li key={r.id}>
                <ReferralCard r={r} box={r.to.id === user.organisation.id ? 'inbox' : 'outbox'} headingLevel={3} hideEngagementLink />
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="kp-updated mt-7">
        {t('company.updatedAt')}: {dt(e.updatedAt)}
      </p>
    </>
  );
}

function EditEngagement({ e, user }: { e: EngagementDetail; user: User }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const themes = useThemes();
  const colleagues = useColleagues();
  const categories = useDeliveryCategories(user.organisation.id);
  const [description, setDescription] = useState(e.description);
  const [chosenThemes, setChosenThemes] = useState<string[]>(e.themes);
  const [responsibleUserId, setResponsibleUserId] = useState(e.responsible.id);
  const [deliveryCategoryId, setDeliveryCategoryId] = useState(e.deliveryCategory?.id ?? '');
  const [level, setLevel] = useState<EngagementLevel>(e.level);

  // The server moves only a confidential (Early Warning) engagement into a confidential category: the engagement's state decides.
  const categoryOptions = (categories.data ?? []).filter((c) => !c.confidential || e.confidential || c.id === e.deliveryCategory?.id);
  const responsibleOptions = colleagues.data ?? [];

  const save = useMutation({
    mutationFn: () =>
      engagementsApi.change(e.id, {
        version: e.version,
        description: description.trim(),
        // Theme keys as GET /themes lists them (its schema types a key as text).
        themes: chosenThemes as EngagementChange['themes'],
        responsibleUserId,
        deliveryCategoryId: deliveryCategoryId || null,
        level,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['engagement', e.id] });
      if (e.company) void qc.invalidateQueries({ queryKey: ['company', e.company.cvr] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
    },
  });
  const fe = fieldErrorsOf(save.error);
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    save.mutate();
  };
  const toggleTheme = (key: string, on: boolean) => setChosenThemes((prev) => (on ? [...prev, key] : prev.filter((k) => k !== key)));
  const themeList = themes.data ?? [];
  const unknownThemes = chosenThemes.filter((k) => !themeList.some((th) => th.key === k));

  return (
    <form onSubmit={onSubmit} noValidate className="kp-edit-form">
      {save.isSuccess && <SuccessAlert>{t('engagement.saved')}</SuccessAlert>}
      {isConflict(save.error) ? <StaleAlert id={e.id} /> : <ErrorAlert error={save.error} />}
      <Field id="edit-description" label={t('engagement.description')} error={fe.description}>
        {(db) => (
          <textarea id="edit-description" className="form-input" rows={5} value={description} onChange={(ev) => setDescription(ev.target.value)} aria-describedby={db} aria-invalid={fe.description ? true : undefined} />
        )}
      </Field>
      <RadioGroup
        name="edit-level"
        legend={t('engagement.level')}
        value={level}
        onChange={(v) => setLevel(v as EngagementLevel)}
        options={[
          { value: 'basic', label: t('level.basic') },
          { value: 'specialised', label: t('level.specialised') },
        ]}
        error={fe.level}
      />
      <div className={`form-group${fe.themes ? ' form-error' : ''}`}>
        <fieldset aria-describedby={fe.themes ? 'edit-themes-error' : undefined}>
          <legend className="form-label">{t('engagement.themes')}</legend>
          {fe.themes && (
            <span className="form-error-message" id="edit-themes-error">
              {fe.themes}
            </span>
          )}
          {[...themeList, ...unknownThemes.map((k) => ({ key: k, name: k }))].map((th) => (
            <div className="form-group-checkbox" key={th.key}>
              <input type="checkbox" className="form-checkbox" id={`edit-theme-${th.key}`} checked={chosenThemes.includes(th.key)} onChange={(ev) => toggleTheme(th.key, ev.target.checked)} />
              <label className="form-label" htmlFor={`edit-theme-${th.key}`}>
                {th.name}
              </label>
            </div>
          ))}
        </fieldset>
      </div>
      <Field id="edit-responsible" label={t('engagement.responsible')} error={fe.responsibleUserId}>
        {(db) => (
          <select id="edit-responsible" className="form-select" value={responsibleUserId} onChange={(ev) => setResponsibleUserId(ev.target.value)} aria-describedby={db} aria-invalid={fe.responsibleUserId ? true : undefined}>
            {!responsibleOptions.some((c) => c.id === e.responsible.id) && <option value={e.responsible.id}>{e.responsible.name}</option>}
            {responsibleOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {(categoryOptions.length > 0 || e.deliveryCategory || fe.deliveryCategoryId) && (
      <Field id="edit-category" label={t('engagement.category')} error={fe.deliveryCategoryId}>
        {(db) => (
          <select id="edit-category" className="form-select" value={deliveryCategoryId} onChange={(ev) => setDeliveryCategoryId(ev.target.value)} aria-describedby={db} aria-invalid={fe.deliveryCategoryId ? true : undefined}>
            <option value="">{t('engagement.noCategory')}</option>
            {e.deliveryCategory && !categoryOptions.some((c) => c.id === e.deliveryCategory?.id) && <option value={e.deliveryCategory.id}>{e.deliveryCategory.name}</option>}
            {categoryOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      )}
      <button type="submit" className="button button-primary mt-5" disabled={save.isPending}>
        {t('engagement.save')}
      </button>
    </form>
  );
}

/** Shown on 409: someone else changed the engagement; offer to reload it. */
function StaleAlert({ id }: { id: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  return (
    <div className="alert alert-warning my-5 kp-stale" role="alert">
      <div className="alert-body">
        <p className="alert-text">{t('engagement.stale')}</p>
        <button type="button" className="button button-secondary mt-3" onClick={() => void qc.invalidateQueries({ queryKey: ['engagement', id] })}>
          {t('common.reload')}
        </button>
      </div>
    </div>
  );
}

function CloseEngagement({ e }: { e: EngagementDetail }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState('');
  const [closedOn, setClosedOn] = useState(() => toDanishDate(today()));
  const close = useMutation({
    mutationFn: () => engagementsApi.close(e.id, { version: e.version, outcome: outcome.trim(), closedOn: closedOn.trim() ? toIsoDate(closedOn) : undefined }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['engagement', e.id] });
      if (e.company) void qc.invalidateQueries({ queryKey: ['company', e.company.cvr] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
    },
  });
  const fe = fieldErrorsOf(close.error);
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    close.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate className="kp-close-form">
      {close.isSuccess && <SuccessAlert>{t('engagement.closedOk')}</SuccessAlert>}
      {isConflict(close.error) ? <StaleAlert id={e.id} /> : <ErrorAlert error={close.error} />}
      <Field id="close-outcome" label={t('engagement.outcome')} error={fe.outcome}>
        {(db) => (
          <textarea id="close-outcome" className="form-input" rows={4} required aria-required="true" value={outcome} onChange={(ev) => setOutcome(ev.target.value)} aria-describedby={db} aria-invalid={fe.outcome ? true : undefined} />
        )}
      </Field>
      <DateField id="close-date" label={t('engagement.closedOnLabel')} value={closedOn} onChange={setClosedOn} error={fe.closedOn} />
      <button type="submit" className="button button-primary mt-5" disabled={close.isPending}>
        {t('engagement.closeSubmit')}
      </button>
    </form>
  );
}

type ReferralTarget = 'organisation' | 'offer';

function ReferralForm({ e, user }: { e: EngagementDetail; user: User }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const cvr = e.company?.cvr ?? '';
  const organisations = useOrganisations(true);
  const contacts = useCompanyContacts(cvr, !!cvr);
  const consents = useCompanyConsents(cvr, !!cvr);
  const [target, setTarget] = useState<ReferralTarget>('organisation');
  const [toOrganisationId, setToOrganisationId] = useState('');
  const [offer, setOffer] = useState<PublicOffer | null>(null);
  const [reason, setReason] = useState('');
  const [needs, setNeeds] = useState('');
  const [contactId, setContactId] = useState('');
  const [givenByName, setGivenByName] = useState('');
  const [channel, setChannel] = useState<ConsentChannel>('meeting');
  const [serverWantsConsent, setServerWantsConsent] = useState(false);

  // A referral to an offer goes to the offer's operator, so the consent must cover the operator.
  const receiver: Ref | undefined = target === 'offer' ? offer?.operator : (organisations.data ?? []).find((o) => o.id === toOrganisationId);
  const receiverId = receiver?.id ?? '';
  const covered =
    !!consents.data && consents.data.items.some((c) => c.active && c.purpose === 'sharing' && (c.scope === 'all' || c.organisations.some((o) => o.id === receiverId)));
  const needsConsent = !!receiverId && (serverWantsConsent || !covered);

  const chooseTarget = (next: ReferralTarget) => {
    setTarget(next);
    setServerWantsConsent(false);
  };
  const chooseOrganisation = (id: string) => {
    setToOrganisationId(id);
    setServerWantsConsent(false);
  };
  const chooseOffer = (o: PublicOffer) => {
    setOffer(o);
    setServerWantsConsent(false);
  };

  const send = useMutation({
    mutationFn: () =>
      referralsApi.create(e.id, {
        ...(target === 'offer' ? { toOfferId: offer?.id } : { toOrganisationId }),
        reason: reason.trim(),
        needs: needs.trim(),
        contactId: contactId || undefined,
        consent: needsConsent ? { givenByName: givenByName.trim(), channel } : undefined,
      }),
    onSuccess: () => {
      setToOrganisationId('');
      setOffer(null);
      setReason('');
      setNeeds('');
      setContactId('');
      setGivenByName('');
      setServerWantsConsent(false);
      void qc.invalidateQueries({ queryKey: ['engagement', e.id] });
      if (cvr) void qc.invalidateQueries({ queryKey: ['company', cvr] });
      void qc.invalidateQueries({ queryKey: ['referrals'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fieldErrors().consent) setServerWantsConsent(true);
    },
  });
  const fe = fieldErrorsOf(send.error);
  const consentNameError = fe['consent.givenByName'] ?? fe.consent;
  // "No receiver" and "receiver cannot answer" are reported on toOrganisationId whichever way the receiver was chosen.
  const receiverError = target === 'offer' ? (fe.toOfferId ?? fe.toOrganisationId) : fe.toOrganisationId;
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    send.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate className="kp-referral-new">
      {send.isSuccess && <SuccessAlert>{t('referral.sent')}</SuccessAlert>}
      <ErrorAlert error={send.error} />
      <RadioGroup
        name="referral-target"
        legend={t('referral.target')}
        value={target}
        onChange={(v) => chooseTarget(v as ReferralTarget)}
        options={[
          { value: 'organisation', label: t('referral.targetOrg') },
          { value: 'offer', label: t('referral.targetOffer') },
        ]}
      />
      {target === 'organisation' ? (
        <Field id="referral-to" label={t('referral.toOrg')} error={receiverError}>
          {(db) => (
            <select id="referral-to" className="form-select" required aria-required="true" value={toOrganisationId} onChange={(ev) => chooseOrganisation(ev.target.value)} aria-describedby={db} aria-invalid={receiverError ? true : undefined}>
              <option value="">{t('referral.chooseOrg')}</option>
              <OrganisationOptions organisations={organisations.data ?? []} exclude={user.organisation.id} />
            </select>
          )}
        </Field>
      ) : (
        <OfferPicker chosen={offer} onChoose={chooseOffer} ownOrganisationId={user.organisation.id} error={receiverError} />
      )}
      <Field id="referral-reason" label={t('referral.reason')} error={fe.reason}>
        {(db) => (
          <textarea id="referral-reason" className="form-input" rows={3} required aria-required="true" value={reason} onChange={(ev) => setReason(ev.target.value)} aria-describedby={db} aria-invalid={fe.reason ? true : undefined} />
        )}
      </Field>
      <Field id="referral-needs" label={t('referral.needs')} error={fe.needs}>
        {(db) => (
          <textarea id="referral-needs" className="form-input" rows={3} required aria-required="true" value={needs} onChange={(ev) => setNeeds(ev.target.value)} aria-describedby={db} aria-invalid={fe.needs ? true : undefined} />
        )}
      </Field>
      {cvr && (
        <Field id="referral-contact" label={`${t('referral.contact')} (${t('common.optional')})`} error={fe.contactId}>
          {(db) => (
            <select id="referral-contact" className="form-select" value={contactId} onChange={(ev) => setContactId(ev.target.value)} aria-describedby={db} aria-invalid={fe.contactId ? true : undefined}>
              <option value="">{t('activity.noContact')}</option>
              {(contacts.data?.items ?? [])
                .filter((c) => !c.erased)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title ? `${c.name} (${c.title})` : c.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
      {receiverId && !needsConsent && <p className="kp-consent-covered">{t('referral.consentCovered')}</p>}
      {needsConsent && (
        <fieldset className="kp-consent-inline mt-5">
          <legend className="h4">{t('referral.consentHeading')}</legend>
          <p>{t('referral.consentIntro', { org: receiver?.name ?? '' })}</p>
          <Field id="referral-consent-name" label={t('referral.consentGivenBy')} error={consentNameError}>
            {(db) => (
              <input id="referral-consent-name" className="form-input" required aria-required="true" autoComplete="off" value={givenByName} onChange={(ev) => setGivenByName(ev.target.value)} aria-describedby={db} aria-invalid={consentNameError ? true : undefined} />
            )}
          </Field>
          <Field id="referral-consent-channel" label={t('referral.consentChannel')} error={fe['consent.channel']}>
            {(db) => (
              <select id="referral-consent-channel" className="form-select" value={channel} onChange={(ev) => setChannel(ev.target.value as ConsentChannel)} aria-describedby={db}>
                {CONSENT_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
      )}
      <button type="submit" className="button button-primary mt-5" disabled={send.isPending}>
        {t('referral.submit')}
      </button>
    </form>
  );
}

/**
 * Search over the public catalogue's published offers and a radio list of the hits. It sits inside
 * the referral form, so Enter in the search field searches instead of sending the referral.
 */
function OfferPicker({ chosen, onChoose, ownOrganisationId, error }: { chosen: PublicOffer | null; onChoose: (o: PublicOffer) => void; ownOrganisationId: string; error?: string }) {
  const { t, n } = useI18n();
  const [input, setInput] = useState('');
  const [q, setQ] = useState<string | null>(null);
  const results = useQuery({
    queryKey: ['referral-offer-search', q],
    queryFn: () => catalogueApi.search({ q: q ?? '' }),
    enabled: q !== null,
  });
  const errorId = error ? 'referral-offer-error' : undefined;
  const runSearch = () => setQ(input.trim());
  const onKeyDown = (ev: KeyboardEvent<HTMLInputElement>) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    runSearch();
  };
  // The chosen offer stays listed when a new search no longer finds it, so the choice stays visible.
  const hits = results.data?.items ?? [];
  const listed = chosen && !hits.some((o) => o.id === chosen.id) ? [chosen, ...hits] : hits;

  return (
    <div className={`form-group kp-offer-picker${error ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor="referral-offer-q">
        {t('referral.offerSearch')}
      </label>
      <span className="form-hint" id="referral-offer-q-hint">
        {t('referral.offerSearchHint')}
      </span>
      {error && (
        <span className="form-error-message" id={errorId}>
          {error}
        </span>
      )}
      <div className="kp-link-form">
        <input
          id="referral-offer-q"
          type="search"
          className="form-input"
          autoComplete="off"
          value={input}
          onChange={(ev) => setInput(ev.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={['referral-offer-q-hint', errorId].filter(Boolean).join(' ')}
          aria-invalid={error && !chosen ? true : undefined}
        />
        <button type="button" className="button button-secondary" onClick={runSearch}>
          {t('referral.offerSearchSubmit')}
        </button>
      </div>
      {results.isFetching && <Loading />}
      {results.isError && <ErrorAlert error={results.error} />}
      {results.isSuccess && (
        <p className="kp-count mt-3" role="status">
          {results.data.items.length === 0
            ? t('referral.offerNone')
            : results.data.total > results.data.items.length
              ? t('referral.offerCountMore', { shown: n(results.data.items.length), n: n(results.data.total) })
              : t('referral.offerCount', { n: n(results.data.total) })}
        </p>
      )}
      {listed.length > 0 && (
        <fieldset className="kp-offer-results mt-3" aria-describedby={errorId}>
          <legend className="form-label">{t('referral.offerChoose')}</legend>
          {listed.map((o) => {
            const own = o.operator.id === ownOrganisationId;
            return (
              <div className="form-group-radio" key={o.id}>
                <input type="radio" className="form-radio" id={`referral-offer-${o.id}`} name="referral-offer" value={o.id} checked={chosen?.id === o.id} disabled={own} onChange={() => onChoose(o)} />
                <label className="form-label" htmlFor={`referral-offer-${o.id}`}>
                  {o.title} — {o.operator.name}
                  {own && ` (${t('referral.offerOwn')})`}
                </label>
              </div>
            );
          })}
        </fieldset>
      )}
      {chosen && <p className="kp-offer-receiver mt-3">{t('referral.offerReceiver', { org: chosen.operator.name })}</p>}
    </div>
  );
}
