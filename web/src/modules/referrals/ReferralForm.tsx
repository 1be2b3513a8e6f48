/**
 * The referral form on an engagement: the receiver from a search over the organisations the server
 * offers (GET /referrals/receivers: the municipality's hub first; never a KKR, a national authority or
 * Knudepunkt's operator) or an offer, one field for what the receiver is asked to help with, the
 * contact, and the consent when none covers the receiver. Missing fields are named in the error summary
 * before anything is sent; an open referral of the company to the same receiver is a warning, not a block.
 *
 * Decision: the API keeps `reason` and `needs`, but the form asks one question ("Hvad skal modtageren
 * hjælpe virksomheden med?", sent as `needs`, which the mail and the list show); `reason` is optional
 * on the server and older referrals still show theirs as "Baggrund".
 */
import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Ref, type User } from '../../shared/api.ts';
import { catalogueApi, type PublicOffer } from '../offers/catalogue/api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, Loading, SuccessAlert } from '../../shared/components/Feedback.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { CONSENT_CHANNELS, useCompanyConsents, type ConsentChannel } from '../consents/api.ts';
import { useCompanyContacts } from '../contacts/api.ts';
import type { EngagementDetail } from '../engagements/api.ts';
import { referralsApi, type Referral, type ReferralReceiver } from './api.ts';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { referralPath } from './components.tsx';
import './referrals.css';

type ReferralTarget = 'organisation' | 'offer';

const MAX_TEXT = 5_000;

export function ReferralForm({ e, user }: { e: EngagementDetail; user: User }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const cvr = e.company?.cvr ?? '';
  const receivers = useQuery({ queryKey: ['referrals', 'receivers', e.id], queryFn: () => referralsApi.receivers(e.id) });
  const contacts = useCompanyContacts(cvr, !!cvr);
  const consents = useCompanyConsents(cvr, !!cvr);
  const [target, setTarget] = useState<ReferralTarget>('organisation');
  const [toOrganisationId, setToOrganisationId] = useState('');
  const [offer, setOffer] = useState<PublicOffer | null>(null);
  const [needs, setNeeds] = useState('');
  const [contactId, setContactId] = useState('');
  const [givenByName, setGivenByName] = useState('');
  const [channel, setChannel] = useState<ConsentChannel>('meeting');
  const [serverWantsConsent, setServerWantsConsent] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [sent, setSent] = useState<{ referral: Referral; key: number } | null>(null);
  // A new key after sending starts the receiver search afresh.
  const [formKey, setFormKey] = useState(0);

  const options = receivers.data?.items ?? [];
  // A referral to an offer goes to the offer's operator, so the consent must cover the operator.
  const receiver: Ref | undefined = target === 'offer' ? offer?.operator : options.find((o) => o.id === toOrganisationId);
  const receiverId = receiver?.id ?? '';
  const openReferral = receiverId ? (options.find((o) => o.id === receiverId)?.openReferral ?? null) : null;
  const covered =
    !!consents.data && consents.data.items.some((c) => c.active && c.purpose === 'sharing' && (c.scope === 'all' || c.organisations.some((o) => o.id === receiverId)));
  const needsConsent = !!receiverId && (serverWantsConsent || !covered);
  const dirty = !!receiverId || needs.trim() !== '' || givenByName.trim() !== '';

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
        needs: needs.trim(),
        contactId: contactId || undefined,
        consent: needsConsent ? { givenByName: givenByName.trim(), channel } : undefined,
      }),
    onSuccess: (referral) => {
      setToOrganisationId('');
      setOffer(null);
      setNeeds('');
      setContactId('');
      setGivenByName('');
      setServerWantsConsent(false);
      setFormKey((k) => k + 1);
      setSent((s) => ({ referral, key: (s?.key ?? 0) + 1 }));
      void qc.invalidateQueries({ queryKey: ['engagement', e.id] });
      if (cvr) void qc.invalidateQueries({ queryKey: ['company', cvr] });
      void qc.invalidateQueries({ queryKey: ['referrals'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      void qc.invalidateQueries({ queryKey: ['me', 'counts'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fieldErrors().consent) setServerWantsConsent(true);
      setSummaryFocus((n) => n + 1);
    },
  });

  const serverErrors = fieldErrorsOf(send.error);
  const errors: Record<string, string> = { ...serverErrors, ...missing };
  // "No receiver" and "receiver cannot receive" are reported on toOrganisationId whichever way the receiver was chosen.
  const receiverError = target === 'offer' ? (errors.toOfferId ?? errors.toOrganisationId) : errors.toOrganisationId;
  const consentNameError = errors['consent.givenByName'] ?? errors.consent;
  const receiverTarget = target === 'offer' ? 'referral-offer-q' : 'referral-to';
  const summary = errorSummaryItems(errors, [
    ['toOrganisationId', receiverTarget],
    ['toOfferId', 'referral-offer-q'],
    ['needs', 'referral-needs'],
    ['contactId', 'referral-contact'],
    ['consent.givenByName', 'referral-consent-name'],
    ['consent', 'referral-consent-name'],
    ['consent.channel', 'referral-consent-channel'],
  ]);

  /** The fields the server would refuse, checked before the round trip. */
  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (target === 'organisation' && !toOrganisationId) found.toOrganisationId = t('referral.errorReceiver');
    if (target === 'offer' && !offer) found.toOfferId = t('referral.errorOffer');
    if (!needs.trim()) found.needs = t('referral.errorNeeds');
    else if (needs.trim().length > MAX_TEXT) found.needs = t('referral.errorTooLong');
    if (needsConsent && !givenByName.trim()) found['consent.givenByName'] = t('referral.errorConsentName');
    return found;
  };
  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    const found = check();
    setMissing(found);
    if (Object.keys(found).length > 0) {
      send.reset();
      setSent(null);
      setSummaryFocus((n) => n + 1);
      return;
    }
    setSent(null);
    send.mutate();
  };

  useUnsavedChanges(dirty && !send.isPending);
  const otherError = send.error && Object.keys(serverErrors).length === 0 ? send.error : null;
  return (
    <form onSubmit={onSubmit} noValidate className="kp-referral-new">
      {sent && (
        <SuccessAlert focusKey={sent.key}>
          {t('referral.sent', { org: sent.referral.to.name })} <Link to={referralPath(sent.referral.id)}>{t('referral.sentLink')}</Link>
        </SuccessAlert>
      )}
      <ErrorSummary id="referral-errors" heading={t('referral.errorsHeading')} items={summary} focusKey={summaryFocus} />
      <ErrorAlert error={otherError} />
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
        <>
          {receivers.isError && <ErrorAlert error={receivers.error} />}
          <ReceiverCombobox key={formKey} items={options} loading={receivers.isPending} value={toOrganisationId} onChange={chooseOrganisation} error={receiverError} />
        </>
      ) : (
        <OfferPicker chosen={offer} onChoose={chooseOffer} ownOrganisationId={user.organisation.id} error={receiverError} />
      )}
      {openReferral && receiver && (
        <div className="alert alert-warning my-5 kp-referral-open-warning" role="status">
          <div className="alert-body">
            <p className="alert-heading">
              <strong>{t('referral.openWarningHeading')}</strong>
            </p>
            <p className="alert-text">
              {t('referral.openWarning', { org: receiver.name })} <Link to={referralPath(openReferral.id)}>{t('referral.openWarningLink')}</Link>
            </p>
          </div>
        </div>
      )}
      <Field id="referral-needs" label={t('referral.needsLabel')} hint={t('referral.needsHint')} error={errors.needs}>
        {(db) => (
          <textarea
            id="referral-needs"
            className="form-input"
            rows={4}
            required
            aria-required="true"
            value={needs}
            onChange={(ev) => setNeeds(ev.target.value)}
            aria-describedby={db}
            aria-invalid={errors.needs ? true : undefined}
          />
        )}
      </Field>
      {cvr && (
        <Field id="referral-contact" label={`${t('referral.contact')} (${t('common.optional')})`} error={errors.contactId}>
          {(db) => (
            <select id="referral-contact" className="form-select" value={contactId} onChange={(ev) => setContactId(ev.target.value)} aria-describedby={db} aria-invalid={errors.contactId ? true : undefined}>
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
              <input
                id="referral-consent-name"
                className="form-input"
                required
                aria-required="true"
                autoComplete="off"
                value={givenByName}
                onChange={(ev) => setGivenByName(ev.target.value)}
                aria-describedby={db}
                aria-invalid={consentNameError ? true : undefined}
              />
            )}
          </Field>
          <Field id="referral-consent-channel" label={t('referral.consentChannel')} error={errors['consent.channel']}>
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

/** Lower case without accents, so "aabenraa", "Aabenraa" and "åbenrå" find each other. */
const fold = (s: string) =>
  s
    .toLocaleLowerCase('da')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

/**
 * The receiver as an ARIA combobox (list autocomplete): typing filters the server's receivers, the
 * arrow keys move through them, Enter or a click chooses, Escape closes (or clears). The suggested
 * hub comes first and can be chosen with one button.
 */
function ReceiverCombobox({
  items,
  loading,
  value,
  onChange,
  error,
}: {
  items: ReferralReceiver[];
  loading: boolean;
  value: string;
  onChange: (id: string) => void;
  error?: string;
}) {
  const { t, n } = useI18n();
  const id = 'referral-to';
  const listId = `${id}-listbox`;
  const statusId = useId();
  const chosen = items.find((o) => o.id === value);
  const [query, setQuery] = useState(chosen?.name ?? '');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = useMemo(() => {
    const q = fold(query.trim());
    if (!q || (chosen && query === chosen.name)) return items;
    return items.filter((o) => fold(o.name).includes(q));
  }, [items, query, chosen]);
  const suggested = items.find((o) => o.suggested);
  const open = expanded && !loading;
  const activeOption = open && active >= 0 ? matches[active] : undefined;

  const choose = (o: ReferralReceiver) => {
    setQuery(o.name);
    setExpanded(false);
    setActive(-1);
    onChange(o.id);
  };
  const onKeyDown = (ev: KeyboardEvent<HTMLInputElement>) => {
    switch (ev.key) {
      case 'ArrowDown': {
        ev.preventDefault();
        if (!expanded) {
          setExpanded(true);
          const at = chosen ? matches.findIndex((o) => o.id === chosen.id) : -1;
          setActive(at >= 0 ? at : matches.length > 0 ? 0 : -1);
        } else setActive((a) => Math.min(a + 1, matches.length - 1));
        break;
      }
      case 'ArrowUp':
        if (expanded) {
          ev.preventDefault();
          setActive((a) => Math.max(a - 1, 0));
        }
        break;
      case 'Enter':
        // Choosing from the open list must not send the form.
        if (activeOption) {
          ev.preventDefault();
          choose(activeOption);
        }
        break;
      case 'Escape':
        if (expanded) {
          ev.preventDefault();
          setExpanded(false);
          setActive(-1);
        } else if (query) {
          ev.preventDefault();
          setQuery('');
          onChange('');
        }
        break;
    }
  };
  const onBlur = () => {
    setExpanded(false);
    setActive(-1);
    // A name typed in full counts as chosen.
    if (!chosen) {
      const exact = items.filter((o) => fold(o.name) === fold(query.trim()));
      if (exact.length === 1) choose(exact[0]!);
    }
  };

  const hintId = `${id}-hint`;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`form-group kp-combobox${error ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor={id}>
        {t('referral.toOrg')}
      </label>
      <span className="form-hint" id={hintId}>
        {t('referral.toOrgHint')}
      </span>
      {error && (
        <span className="form-error-message" id={errorId}>
          {error}
        </span>
      )}
      <div className="kp-combobox-field">
        <input
          id={id}
          type="text"
          className="form-input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeOption ? `${listId}-${activeOption.id}` : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          aria-required="true"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(ev) => {
            setQuery(ev.target.value);
            setExpanded(true);
            setActive(-1);
            if (value) onChange('');
          }}
          onClick={() => setExpanded(true)}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
        />
        <ul id={listId} role="listbox" aria-label={t('referral.toOrg')} className="kp-combobox-list" hidden={!open || matches.length === 0}>
          {matches.map((o, i) => (
            <li
              key={o.id}
              id={`${listId}-${o.id}`}
              role="option"
              aria-selected={i === active}
              className={`kp-combobox-option${i === active ? ' kp-combobox-option--active' : ''}${o.id === value ? ' kp-combobox-option--chosen' : ''}`}
              // Keep focus in the field: the click chooses, the blur must not run first.
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => choose(o)}
            >
              {o.name}
              {o.suggested && <span className="kp-combobox-suggested"> ({t('referral.suggested')})</span>}
            </li>
          ))}
        </ul>
      </div>
      <span id={statusId} className="sr-only" role="status">
        {open ? (matches.length > 0 ? t('referral.toOrgResults', { n: n(matches.length) }) : t('referral.toOrgNone')) : ''}
      </span>
      {loading && <Loading />}
      {!loading && suggested && !value && (
        <p className="mt-3">
          <button type="button" className="button button-unstyled function-link kp-choose-suggested" onClick={() => choose(suggested)}>
            {t('referral.chooseSuggested', { org: suggested.name })}
          </button>
        </p>
      )}
    </div>
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
