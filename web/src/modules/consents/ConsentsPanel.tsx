import { Fragment, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useOrganisations } from '../organisations/hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, toIsoDate } from '../../shared/components/Feedback.tsx';
import { isForbiddenOrHidden, ScrollRegion } from '../../shared/components/ui.tsx';
import { OrganisationOptions } from '../organisations/OrganisationOptions.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { useCompanyContacts } from '../contacts/api.ts';
import { CONSENT_CHANNELS, consentsApi, useCompanyConsents, type Consent, type ConsentChannel, type ConsentPurpose, type ConsentScope } from './api.ts';

/** "Alle aktører i Knudepunkt" or the named organisations. */
export function useScopeText(): (c: Consent) => string {
  const { t } = useI18n();
  return (c) => (c.scope === 'all' ? t('scope.all') : c.organisations.map((o) => o.name).join(', ') || t('scope.named'));
}

/** The company's consents (awaiting confirmation, active, withdrawn or expired) and — where the server allows it — a form to record one. */
export function ConsentsPanel({ cvr, canRecord }: { cvr: string; canRecord: boolean }) {
  const { t } = useI18n();
  const session = useSession();
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
      {canRecord && session.data && <RecordConsent cvr={cvr} ownOrganisationId={session.data.user.organisation.id} />}
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
    mutationFn: (id: string) => consentsApi.withdraw(id, note.trim() || undefined),
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
      <ScrollRegion>
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
      </ScrollRegion>
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
      consentsApi.record(cvr, {
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
            { value: 'publication', label: t('purpose.publication') },
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
