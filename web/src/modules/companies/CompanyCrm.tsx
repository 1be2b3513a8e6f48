import { Fragment, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, CONSENT_CHANNELS, type Consent, type ConsentChannel, type ConsentPurpose, type ConsentScope, type Contact, type Engagement, type User } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { canWrite, isAggregateOnly, useOrganisations, useThemeName } from '../../shared/hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, toIsoDate } from '../../shared/components/Feedback.tsx';
import { ActivityForm, Disclosure, EngagementLink, EngagementStatusBadge, isForbiddenOrHidden, OrganisationOptions, Tabs } from '../../shared/components/Crm.tsx';

const TAB_IDS = ['tidslinje', 'forloeb', 'kontakter', 'samtykker'] as const;

export function useCompanyContacts(cvr: string, enabled = true) {
  return useQuery({
    queryKey: ['company', cvr, 'contacts'],
    queryFn: () => api.contacts(cvr),
    enabled: enabled && !!cvr,
  });
}

export function useCompanyConsents(cvr: string, enabled = true) {
  return useQuery({
    queryKey: ['company', cvr, 'consents'],
    queryFn: () => api.consents(cvr),
    enabled: enabled && !!cvr,
  });
}

/** The note shown to KKR and national users instead of company-level CRM data. */
export function AggregateOnlyNote() {
  const { t } = useI18n();
  return (
    <div className="alert alert-info my-5 kp-aggregate-only">
      <div className="alert-body">
        <p className="alert-heading">
          <strong>{t('crm.aggregateOnly')}</strong>
        </p>
        <p className="alert-text">{t('crm.aggregateOnlyText')}</p>
      </div>
    </div>
  );
}

/** Shared-CRM sections of the company page: timeline, engagements, contacts and consents. */
export function CompanyCrm({ cvr }: { cvr: string }) {
  const { t } = useI18n();
  const session = useSession();
  const user = session.data?.user;
  const [params, setParams] = useSearchParams();
  const tab = params.get('fane') ?? TAB_IDS[0];

  if (!user) return null;
  if (isAggregateOnly(user)) {
    return (
      <section aria-labelledby="company-crm" className="mt-7">
        <h2 id="company-crm">{t('crm.title')}</h2>
        <AggregateOnlyNote />
      </section>
    );
  }

  const select = (id: string) => {
    const next = new URLSearchParams(params);
    if (id === TAB_IDS[0]) next.delete('fane');
    else next.set('fane', id);
    setParams(next, { replace: true });
  };

  return (
    <section aria-labelledby="company-crm" className="mt-7 kp-crm">
      <h2 id="company-crm">{t('crm.title')}</h2>
      <Tabs
        label={t('crm.tabsLabel')}
        selected={tab}
        onSelect={select}
        tabs={[
          { id: 'tidslinje', label: t('tabs.timeline'), content: <TimelinePanel cvr={cvr} user={user} /> },
          { id: 'forloeb', label: t('tabs.engagements'), content: <EngagementsPanel cvr={cvr} user={user} /> },
          { id: 'kontakter', label: t('tabs.contacts'), content: <ContactsPanel cvr={cvr} user={user} /> },
          { id: 'samtykker', label: t('tabs.consents'), content: <ConsentsPanel cvr={cvr} user={user} /> },
        ]}
      />
    </section>
  );
}

function TimelinePanel({ cvr, user }: { cvr: string; user: User }) {
  const { t, d } = useI18n();
  const timeline = useQuery({ queryKey: ['company', cvr, 'timeline'], queryFn: () => api.companyTimeline(cvr) });
  const contacts = useCompanyContacts(cvr, canWrite(user));
  const none = t('common.none');
  if (timeline.isPending) return <Loading />;
  if (isForbiddenOrHidden(timeline.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.timeline')}</h3>
      <p>{t('timeline.intro')}</p>
      <ErrorAlert error={timeline.error} />
      {canWrite(user) && (
        <Disclosure summary={t('activity.registerCompany')} className="kp-company-activity">
          <ActivityForm
            idPrefix="company-activity"
            contacts={contacts.data?.items ?? []}
            submit={(input) => api.addCompanyActivity(cvr, input)}
            invalidate={[['company', cvr, 'timeline']]}
          />
        </Disclosure>
      )}
      {timeline.data &&
        (timeline.data.items.length === 0 ? (
          <p>{t('timeline.empty')}</p>
        ) : (
          <div className="table--responsive-scroll">
            <table className="table table--zebra kp-timeline">
              <caption className="sr-only">{t('timeline.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('col.date')}</th>
                  <th scope="col">{t('col.kind')}</th>
                  <th scope="col">{t('col.organisation')}</th>
                  <th scope="col">{t('col.title')}</th>
                  <th scope="col">{t('col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {timeline.data.items.map((item) => (
                  <tr key={`${item.kind}-${item.id}`}>
                    <td className="kp-nowrap">{d(item.date)}</td>
                    <td>{t(`kind.${item.kind}` as MessageKey)}</td>
                    <td>{item.organisation.name}</td>
                    <td>{item.engagementId ? <Link to={`/forloeb/${item.engagementId}`}>{item.title}</Link> : item.title}</td>
                    <td>{item.detail || none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

/** A short, descriptive link text for an engagement. */
export function engagementLabel(e: Engagement, fallback: string): string {
  const text = e.description.trim() || e.deliveryCategory?.name || fallback;
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

function EngagementsPanel({ cvr, user }: { cvr: string; user: User }) {
  const { t, d } = useI18n();
  const themeName = useThemeName();
  const engagements = useQuery({ queryKey: ['company', cvr, 'engagements'], queryFn: () => api.companyEngagements(cvr) });
  const none = t('common.none');
  if (engagements.isPending) return <Loading />;
  if (isForbiddenOrHidden(engagements.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.engagements')}</h3>
      {canWrite(user) && (
        <p>
          <Link to={`/forloeb/nyt?cvr=${encodeURIComponent(cvr)}`} className="button button-primary kp-create-engagement">
            {t('engagements.create')}
          </Link>
        </p>
      )}
      <ErrorAlert error={engagements.error} />
      {engagements.data &&
        (engagements.data.items.length === 0 ? (
          <p>{t('engagements.empty')}</p>
        ) : (
          <div className="table--responsive-scroll">
            <table className="table table--zebra kp-engagements">
              <caption className="sr-only">{t('engagements.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('engagements.col')}</th>
                  <th scope="col">{t('engagement.openedOn')}</th>
                  <th scope="col">{t('engagement.status')}</th>
                  <th scope="col">{t('engagement.organisation')}</th>
                  <th scope="col">{t('engagement.responsible')}</th>
                  <th scope="col">{t('engagement.category')}</th>
                  <th scope="col">{t('engagement.themes')}</th>
                </tr>
              </thead>
              <tbody>
                {engagements.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <EngagementLink id={e.id} label={engagementLabel(e, t('engagements.open'))} confidential={e.confidential} />
                    </td>
                    <td className="kp-nowrap">{d(e.openedOn)}</td>
                    <td>
                      <EngagementStatusBadge status={e.status} />
                    </td>
                    <td>{e.organisation.name}</td>
                    <td>{e.responsible.name}</td>
                    <td>{e.deliveryCategory?.name ?? none}</td>
                    <td>{e.themes.length ? e.themes.map(themeName).join(', ') : none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

function ContactsPanel({ cvr, user }: { cvr: string; user: User }) {
  const { t } = useI18n();
  const contacts = useCompanyContacts(cvr);
  if (contacts.isPending) return <Loading />;
  if (isForbiddenOrHidden(contacts.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.contacts')}</h3>
      <ErrorAlert error={contacts.error} />
      {contacts.data && <ContactTable items={contacts.data.items} />}
      {canWrite(user) && <AddContact cvr={cvr} />}
    </>
  );
}

function ContactTable({ items }: { items: Contact[] }) {
  const { t } = useI18n();
  const none = t('common.none');
  if (items.length === 0) return <p>{t('contacts.empty')}</p>;
  return (
    <div className="table--responsive-scroll">
      <table className="table table--zebra kp-contacts">
        <caption className="sr-only">{t('contacts.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('contacts.name')}</th>
            <th scope="col">{t('contacts.jobTitle')}</th>
            <th scope="col">{t('contacts.email')}</th>
            <th scope="col">{t('contacts.phone')}</th>
            <th scope="col">{t('contacts.organisation')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td>{c.erased ? <span className="badge kp-badge">{t('contacts.erased')}</span> : c.name}</td>
              <td>{c.title || none}</td>
              <td>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : none}</td>
              <td>{c.phone ? <a href={`tel:${c.phone.replace(/\s+/g, '')}`}>{c.phone}</a> : none}</td>
              <td>{c.organisation.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddContact({ cvr }: { cvr: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.createContact(cvr, {
        name: name.trim(),
        title: title.trim() || undefined,
        email: email.trim() || undefined,
        phone: phone.trim() || undefined,
      }),
    onSuccess: () => {
      setName('');
      setTitle('');
      setEmail('');
      setPhone('');
      void qc.invalidateQueries({ queryKey: ['company', cvr] });
    },
  });
  const fe = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="contact-add" className="mt-7">
      <h4 id="contact-add">{t('contacts.add')}</h4>
      {create.isSuccess && <SuccessAlert>{t('contacts.added')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <Field id="contact-name" label={t('contacts.name')} error={fe.name}>
          {(db) => (
            <input id="contact-name" className="form-input" required aria-required="true" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={db} aria-invalid={fe.name ? true : undefined} />
          )}
        </Field>
        <Field id="contact-title" label={`${t('contacts.jobTitle')} (${t('common.optional')})`} error={fe.title}>
          {(db) => (
            <input id="contact-title" className="form-input" autoComplete="off" value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={db} aria-invalid={fe.title ? true : undefined} />
          )}
        </Field>
        <Field id="contact-email" label={`${t('contacts.email')} (${t('common.optional')})`} error={fe.email}>
          {(db) => (
            <input id="contact-email" type="email" className="form-input" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={db} aria-invalid={fe.email ? true : undefined} />
          )}
        </Field>
        <Field id="contact-phone" label={`${t('contacts.phone')} (${t('common.optional')})`} error={fe.phone}>
          {(db) => (
            <input id="contact-phone" type="tel" className="form-input input-width-m" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} aria-describedby={db} aria-invalid={fe.phone ? true : undefined} />
          )}
        </Field>
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('contacts.add')}
        </button>
      </form>
    </section>
  );
}

/** "Alle aktører i Knudepunkt" or the named organisations. */
export function useScopeText(): (c: Consent) => string {
  const { t } = useI18n();
  return (c) => (c.scope === 'all' ? t('scope.all') : c.organisations.map((o) => o.name).join(', ') || t('scope.named'));
}

function ConsentsPanel({ cvr, user }: { cvr: string; user: User }) {
  const { t } = useI18n();
  const consents = useCompanyConsents(cvr);
  if (consents.isPending) return <Loading />;
  if (isForbiddenOrHidden(consents.error)) return <AggregateOnlyNote />;
  const items = consents.data?.items ?? [];
  const awaiting = items.filter((c) => c.awaitingConfirmation && !c.withdrawnAt);
  const active = items.filter((c) => c.active);
  const inactive = items.filter((c) => !c.active && !awaiting.includes(c));
  return (
    <>
      <h3>{t('tabs.consents')}</h3>
      <ErrorAlert error={consents.error} />
      {awaiting.length > 0 && (
        <>
          <h4>{t('consents.awaiting')}</h4>
          <p className="form-hint">{t('consents.awaitingHint')}</p>
          <ConsentTable items={awaiting} cvr={cvr} inactive={false} caption={t('consents.captionAwaiting')} className="kp-consents-awaiting" />
        </>
      )}
      <h4 className={awaiting.length > 0 ? 'mt-7' : undefined}>{t('consents.active')}</h4>
      {active.length === 0 ? <p>{t('consents.noneActive')}</p> : <ConsentTable items={active} cvr={cvr} inactive={false} caption={t('consents.captionActive')} className="kp-consents-active" />}
      <h4 className="mt-7">{t('consents.inactive')}</h4>
      {inactive.length === 0 ? <p>{t('consents.noneInactive')}</p> : <ConsentTable items={inactive} cvr={cvr} inactive caption={t('consents.captionInactive')} className="kp-consents-inactive" />}
      {canWrite(user) && <RecordConsent cvr={cvr} ownOrganisationId={user.organisation.id} />}
    </>
  );
}

function ConsentTable({ items, cvr, inactive, caption, className }: { items: Consent[]; cvr: string; inactive: boolean; caption: string; className: string }) {
  const { t, d } = useI18n();
  const canWithdraw = items.some((c) => c.abilities.withdraw);
  const qc = useQueryClient();
  const scopeText = useScopeText();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const none = t('common.none');
  const withdraw = useMutation({
    mutationFn: (id: string) => api.withdrawConsent(id, note.trim() || undefined),
    onSuccess: () => {
      setConfirming(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['company', cvr] });
    },
  });
  const columns = 7 + (inactive ? 1 : 0) + (canWithdraw ? 1 : 0);
  return (
    <>
      {withdraw.isSuccess && <SuccessAlert>{t('consents.withdrawn')}</SuccessAlert>}
      <ErrorAlert error={withdraw.error} />
      <div className="table--responsive-scroll">
        <table className={`table table--zebra kp-consents ${className}`}>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consents.purpose')}</th>
              <th scope="col">{t('consents.scope')}</th>
              <th scope="col">{t('consents.givenBy')}</th>
              <th scope="col">{t('consents.channel')}</th>
              <th scope="col">{t('consents.givenAt')}</th>
              <th scope="col">{t('consents.expiresAt')}</th>
              <th scope="col">{t('consents.recordedBy')}</th>
              {inactive && <th scope="col">{t('consents.withdrawnAt')}</th>}
              {canWithdraw && <th scope="col">{t('consents.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <Fragment key={c.id}>
                <tr>
                  <td>{t(`purpose.${c.purpose}` as MessageKey)}</td>
                  <td>{scopeText(c)}</td>
                  <td>{c.givenByName}</td>
                  <td>{t(`channel.${c.channel}` as MessageKey)}</td>
                  <td className="kp-nowrap">{d(c.givenAt)}</td>
                  <td className="kp-nowrap">{c.expiresAt ? d(c.expiresAt) : t('consents.noExpiry')}</td>
                  <td>{c.recordedByOrganisation?.name ?? none}</td>
                  {inactive && (
                    <td>
                      {c.withdrawnAt ? <span className="kp-nowrap">{d(c.withdrawnAt)}</span> : t('consents.expired')}
                      {c.withdrawnBy && <> {c.withdrawnBy.organisation ? t('consents.withdrawnBy', { name: c.withdrawnBy.organisation.name }) : t('consents.withdrawnByCompany')}</>}
                    </td>
                  )}
                  {canWithdraw && !c.abilities.withdraw && <td />}
                  {c.abilities.withdraw && (
                    <td>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-label={t('consents.withdrawLabel', { name: c.givenByName })}
                        aria-expanded={confirming === c.id}
                        aria-controls={`withdraw-${c.id}`}
                        onClick={() => {
                          withdraw.reset();
                          setNote('');
                          setConfirming(confirming === c.id ? null : c.id);
                        }}
                      >
                        {t('consents.withdraw')}
                      </button>
                    </td>
                  )}
                </tr>
                {confirming === c.id && (
                  <tr id={`withdraw-${c.id}`}>
                    <td colSpan={columns}>
                      <form
                        className="kp-confirm"
                        noValidate
                        onSubmit={(e) => {
                          e.preventDefault();
                          withdraw.mutate(c.id);
                        }}
                      >
                        <p role="alert">
                          <strong>{t('consents.confirmText', { name: c.givenByName })}</strong>
                        </p>
                        <Field id={`withdraw-note-${c.id}`} label={`${t('consents.withdrawNote')} (${t('common.optional')})`}>
                          {(db) => <textarea id={`withdraw-note-${c.id}`} className="form-input" rows={2} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={db} />}
                        </Field>
                        <div className="kp-button-row mt-5">
                          <button type="submit" className="button button-primary" disabled={withdraw.isPending}>
                            {t('consents.confirm')}
                          </button>
                          <button type="button" className="button button-secondary" onClick={() => setConfirming(null)}>
                            {t('common.cancel')}
                          </button>
                        </div>
                      </form>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RecordConsent({ cvr, ownOrganisationId }: { cvr: string; ownOrganisationId: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const contacts = useCompanyContacts(cvr);
  const organisations = useOrganisations(true);
  const [purpose, setPurpose] = useState<ConsentPurpose>('sharing');
  const [scope, setScope] = useState<ConsentScope>('all');
  const [organisationIds, setOrganisationIds] = useState<string[]>([]);
  const [givenByContactId, setGivenByContactId] = useState('');
  const [givenByName, setGivenByName] = useState('');
  const [channel, setChannel] = useState<ConsentChannel>('meeting');
  const [expiresOn, setExpiresOn] = useState('');
  const contactList = (contacts.data?.items ?? []).filter((c) => !c.erased);
  const chosenContact = contactList.find((c) => c.id === givenByContactId);

  const create = useMutation({
    mutationFn: () =>
      api.createConsent(cvr, {
        purpose,
        scope,
        organisationIds: scope === 'named' ? organisationIds : undefined,
        givenByContactId: chosenContact?.id,
        givenByName: chosenContact ? chosenContact.name : givenByName.trim(),
        channel,
        expiresAt: expiresOn.trim() ? endOfDay(toIsoDate(expiresOn)) : undefined,
      }),
    onSuccess: () => {
      setOrganisationIds([]);
      setGivenByContactId('');
      setGivenByName('');
      setExpiresOn('');
      void qc.invalidateQueries({ queryKey: ['company', cvr] });
    },
  });
  const fe = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section aria-labelledby="consent-record" className="mt-7">
      <h4 id="consent-record">{t('consents.record')}</h4>
      {create.isSuccess && <SuccessAlert>{t('consents.recorded')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <RadioGroup
          name="consent-purpose"
          legend={t('consents.purpose')}
          value={purpose}
          onChange={(v) => setPurpose(v as ConsentPurpose)}
          options={[
            { value: 'sharing', label: t('purpose.sharing') },
            { value: 'evaluation', label: t('purpose.evaluation') },
          ]}
          error={fe.purpose}
        />
        <RadioGroup
          name="consent-scope"
          legend={t('consents.scope')}
          value={scope}
          onChange={(v) => setScope(v as ConsentScope)}
          options={[
            { value: 'all', label: t('scope.all') },
            { value: 'named', label: t('scope.named') },
          ]}
          error={fe.scope}
        />
        {scope === 'named' && (
          <Field id="consent-orgs" label={t('consents.organisations')} hint={t('consents.organisationsHint')} error={fe.organisationIds}>
            {(db) => (
              <select
                id="consent-orgs"
                className="form-select kp-multi"
                multiple
                size={8}
                value={organisationIds}
                onChange={(e) => setOrganisationIds(Array.from(e.target.selectedOptions, (o) => o.value))}
                aria-describedby={db}
                aria-invalid={fe.organisationIds ? true : undefined}
              >
                <OrganisationOptions organisations={organisations.data ?? []} exclude={ownOrganisationId} />
              </select>
            )}
          </Field>
        )}
        {contactList.length > 0 && (
          <Field id="consent-contact" label={t('consents.givenByContact')} error={fe.givenByContactId}>
            {(db) => (
              <select id="consent-contact" className="form-select" value={givenByContactId} onChange={(e) => setGivenByContactId(e.target.value)} aria-describedby={db} aria-invalid={fe.givenByContactId ? true : undefined}>
                <option value="">{t('consents.givenByOther')}</option>
                {contactList.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {!chosenContact && (
          <Field id="consent-name" label={t('consents.givenByName')} error={fe.givenByName}>
            {(db) => (
              <input id="consent-name" className="form-input" required aria-required="true" autoComplete="off" value={givenByName} onChange={(e) => setGivenByName(e.target.value)} aria-describedby={db} aria-invalid={fe.givenByName ? true : undefined} />
            )}
          </Field>
        )}
        <Field id="consent-channel" label={t('consents.channel')} error={fe.channel}>
          {(db) => (
            <select id="consent-channel" className="form-select" value={channel} onChange={(e) => setChannel(e.target.value as ConsentChannel)} aria-describedby={db} aria-invalid={fe.channel ? true : undefined}>
              {CONSENT_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateField id="consent-expires" label={`${t('consents.expiresAtOptional')} (${t('common.optional')})`} value={expiresOn} onChange={setExpiresOn} error={fe.expiresAt} />
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('consents.record')}
        </button>
      </form>
    </section>
  );
}

/** The end of a local calendar day as an ISO timestamp (a consent expires after its last day); other text is passed on for the API to reject. */
function endOfDay(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59).toISOString();
}

export function RadioGroup({
  name,
  legend,
  value,
  onChange,
  options,
  error,
}: {
  name: string;
  legend: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string;
}) {
  const errorId = error ? `${name}-error` : undefined;
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <fieldset aria-describedby={errorId}>
        <legend className="form-label">{legend}</legend>
        {error && (
          <span className="form-error-message" id={errorId}>
            {error}
          </span>
        )}
        {options.map((o) => (
          <div className="form-group-radio" key={o.value}>
            <input type="radio" className="form-radio" id={`${name}-${o.value}`} name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <label className="form-label" htmlFor={`${name}-${o.value}`}>
              {o.label}
            </label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
