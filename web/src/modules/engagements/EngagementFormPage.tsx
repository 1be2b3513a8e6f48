import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Abilities, User } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { useColleagues, useDeliveryCategories, useThemes } from '../organisations/hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, focusHeading, InfoAlert, Loading, toDanishDate, toIsoDate, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { engagementsApi, type EngagementLevel, type NewEngagement } from './api.ts';
import type { Referral } from '../referrals/api.ts';
import { ReferralBackLink, ReferralSourceCompany, ReferralSourceProblem, useReferralSource } from '../referrals/ReferralSource.tsx';
import type { Lead } from '../guidance/api.ts';
import { LeadBackLink, LeadSourceProblem, LeadSourceSubject, useLeadSource } from '../guidance/LeadSource.tsx';

export function EngagementFormPage() {
  const { t } = useI18n();
  usePageTitle(t('engagementForm.title'));
  const session = useSession();
  const user = session.data?.user;
  const abilities = session.data?.abilities;
  const [params] = useSearchParams();
  const cvr = (params.get('cvr') ?? '').replace(/\D/g, '').slice(0, 8);
  const prospectId = params.get('prospect') ?? '';
  // "Opret eget forløb" from an accepted referral (referrals module): company and need come from it.
  const referralId = params.get('henvisning') ?? '';
  const fromReferral = useReferralSource(referralId);
  // "Opret forløb" from a request (guidance module): its company or prospect, themes and need come from it.
  const leadId = params.get('henvendelse') ?? '';
  const fromLead = useLeadSource(leadId);

  return (
    <>
      {referralId && <ReferralBackLink id={referralId} />}
      {leadId && <LeadBackLink id={leadId} />}
      {cvr && (
        <p className="kp-back">
          <Link to={`/virksomheder/${cvr}?fane=forloeb`} className="back-link">
            {t('engagement.back')}
          </Link>
        </p>
      )}
      <h1>{t('engagementForm.title')}</h1>
      {!user || !abilities ? (
        <Loading />
      ) : !abilities.readCrm ? (
        <AggregateOnlyNote />
      ) : !abilities.create.engagement ? (
        <InfoAlert>{t('engagementForm.readOnly')}</InfoAlert>
      ) : referralId && !fromReferral.referral ? (
        <ReferralSourceProblem source={fromReferral} />
      ) : leadId && !fromLead.lead ? (
        <LeadSourceProblem source={fromLead} />
      ) : (
        <EngagementForm
          key={fromReferral.referral?.id ?? fromLead.lead?.id}
          user={user}
          abilities={abilities}
          initialCvr={cvr}
          prospectId={fromLead.lead?.prospect?.id ?? prospectId}
          fromReferral={fromReferral.referral}
          fromLead={fromLead.lead}
        />
      )}
    </>
  );
}

function EngagementForm({
  user,
  abilities,
  initialCvr,
  prospectId,
  fromReferral,
  fromLead,
}: {
  user: User;
  abilities: Abilities;
  initialCvr: string;
  prospectId: string;
  /** The accepted referral the engagement is opened from: its company (read-only) and need. */
  fromReferral?: Referral | undefined;
  /** The request the engagement is opened from: its company or prospect (read-only), themes and need. */
  fromLead?: Lead | undefined;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const themes = useThemes();
  const colleagues = useColleagues();
  const categories = useDeliveryCategories(user.organisation.id);
  // What the form starts from, so that leaving it unchanged does not warn.
  const [initial] = useState(() => ({
    cvr: fromReferral?.company?.cvr ?? fromLead?.company?.cvr ?? initialCvr,
    themes: fromLead?.themes ?? [],
    openedOn: toDanishDate(today()),
    description: fromReferral?.needs ?? fromLead?.need ?? '',
  }));
  const [cvr, setCvr] = useState(initial.cvr);
  const [level, setLevel] = useState<EngagementLevel>('basic');
  const [deliveryCategoryId, setDeliveryCategoryId] = useState('');
  const [chosenThemes, setChosenThemes] = useState<string[]>(initial.themes);
  const [responsibleUserId, setResponsibleUserId] = useState(user.id);
  const [openedOn, setOpenedOn] = useState(initial.openedOn);
  const [description, setDescription] = useState(initial.description);
  const [confidential, setConfidential] = useState(false);
  const dirty =
    cvr !== initial.cvr || level !== 'basic' || deliveryCategoryId !== '' || chosenThemes.join() !== initial.themes.join() ||
    responsibleUserId !== user.id || openedOn !== initial.openedOn || description !== initial.description || confidential;

  // The server says which categories the caller may open an engagement in (a confidential one: the EW team's).
  const categoryOptions = (categories.data ?? []).filter((c) => c.abilities.choose);
  const responsibleOptions = colleagues.data ?? [];

  // A refused save: the error takes focus (its text names what to fix).
  const [errorFocus, setErrorFocus] = useState(0);
  const errorRef = useAutoFocus<HTMLDivElement>(errorFocus);
  const create = useMutation({
    mutationFn: () =>
      engagementsApi.create({
        companyCvr: prospectId ? undefined : cvr.replace(/\s+/g, ''),
        prospectId: prospectId || undefined,
        level,
        deliveryCategoryId: deliveryCategoryId || undefined,
        // Theme keys as GET /themes lists them (its schema types a key as text).
        themes: chosenThemes as NewEngagement['themes'],
        description: description.trim() || undefined,
        responsibleUserId: responsibleUserId || undefined,
        openedOn: openedOn.trim() ? toIsoDate(openedOn) : undefined,
        confidential: abilities.create.confidentialEngagement ? confidential : undefined,
        referralId: fromReferral?.id,
        guidanceRequestId: fromLead?.id,
      }),
    onSuccess: (e) => {
      void qc.invalidateQueries({ queryKey: ['company'] });
      void qc.invalidateQueries({ queryKey: ['my-work'] });
      if (fromReferral) void qc.invalidateQueries({ queryKey: ['referrals'] });
      if (fromLead) {
        void qc.invalidateQueries({ queryKey: ['leads'] });
        void qc.invalidateQueries({ queryKey: ['me', 'counts'] });
      }
      // The new engagement's page, its heading focused (HeadingFocusOnArrival).
      void navigate(`/forloeb/${e.id}`, { state: focusHeading });
    },
    onError: () => setErrorFocus((n) => n + 1),
  });
  const fe = fieldErrorsOf(create.error);
  // While saving and once saved, leaving is what the user asked for.
  useUnsavedChanges(dirty && !create.isPending && !create.isSuccess);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  const toggleTheme = (key: string, on: boolean) => setChosenThemes((prev) => (on ? [...prev, key] : prev.filter((k) => k !== key)));
  const themesError = fe.themes;

  return (
    <>
      <div ref={errorRef} tabIndex={-1}>
        <ErrorAlert error={create.error} />
      </div>
      <form onSubmit={onSubmit} noValidate className="kp-engagement-form">
        {fromLead ? (
          <LeadSourceSubject lead={fromLead} />
        ) : prospectId ? (
          <p>
            <strong>{t('engagementForm.prospect')}:</strong> {prospectId}
          </p>
        ) : fromReferral ? (
          <ReferralSourceCompany referral={fromReferral} />
        ) : (
          <Field id="engagement-cvr" label={t('engagementForm.cvr')} error={fe.companyCvr}>
            {(db) => (
              <input
                id="engagement-cvr"
                className="form-input input-width-s"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                required
                aria-required="true"
                value={cvr}
                onChange={(e) => setCvr(e.target.value)}
                aria-describedby={db}
                aria-invalid={fe.companyCvr ? true : undefined}
              />
            )}
          </Field>
        )}
        <RadioGroup
          name="engagement-level"
          legend={t('engagementForm.level')}
          value={level}
          onChange={(v) => setLevel(v as EngagementLevel)}
          options={[
            { value: 'basic', label: t('level.basic') },
            { value: 'specialised', label: t('level.specialised') },
          ]}
          error={fe.level}
        />
        {(categoryOptions.length > 0 || fe.deliveryCategoryId) && (
        <Field id="engagement-category" label={`${t('engagementForm.category')} (${t('common.optional')})`} error={fe.deliveryCategoryId}>
          {(db) => (
            <select
              id="engagement-category"
              className="form-select"
              value={deliveryCategoryId}
              onChange={(e) => setDeliveryCategoryId(e.target.value)}
              aria-describedby={db}
              aria-invalid={fe.deliveryCategoryId ? true : undefined}
            >
              <option value="">{t('engagement.noCategory')}</option>
              {categoryOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        )}
        <div className={`form-group${themesError ? ' form-error' : ''}`}>
          <fieldset aria-describedby={themesError ? 'engagement-themes-error' : undefined} className="kp-themes">
            <legend className="form-label">{`${t('engagementForm.themes')} (${t('common.optional')})`}</legend>
            {themesError && (
              <span className="form-error-message" id="engagement-themes-error">
                {themesError}
              </span>
            )}
            {themes.isPending && <Loading />}
            <ErrorAlert error={themes.error} />
            {(themes.data ?? []).map((th) => (
              <div className="form-group-checkbox" key={th.key}>
                <input
                  type="checkbox"
                  className="form-checkbox"
                  id={`theme-${th.key}`}
                  checked={chosenThemes.includes(th.key)}
                  onChange={(e) => toggleTheme(th.key, e.target.checked)}
                />
                <label className="form-label" htmlFor={`theme-${th.key}`}>
                  {th.name}
                </label>
              </div>
            ))}
          </fieldset>
        </div>
        <Field id="engagement-responsible" label={t('engagementForm.responsible')} error={fe.responsibleUserId}>
          {(db) => (
            <select
              id="engagement-responsible"
              className="form-select"
              value={responsibleUserId}
              onChange={(e) => setResponsibleUserId(e.target.value)}
              aria-describedby={db}
              aria-invalid={fe.responsibleUserId ? true : undefined}
            >
              {!responsibleOptions.some((c) => c.id === user.id) && <option value={user.id}>{user.name}</option>}
              {responsibleOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateField id="engagement-opened" label={t('engagementForm.openedOn')} value={openedOn} onChange={setOpenedOn} error={fe.openedOn} />
        <Field id="engagement-description" label={`${t('engagementForm.description')} (${t('common.optional')})`} error={fe.description}>
          {(db) => (
            <textarea
              id="engagement-description"
              className="form-input"
              rows={5}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              aria-describedby={db}
              aria-invalid={fe.description ? true : undefined}
            />
          )}
        </Field>
        {abilities.create.confidentialEngagement && (
          <div className={`form-group${fe.confidential ? ' form-error' : ''}`}>
            {fe.confidential && (
              <span className="form-error-message" id="engagement-confidential-error">
                {fe.confidential}
              </span>
            )}
            <div className="form-group-checkbox">
              <input
                id="engagement-confidential"
                type="checkbox"
                className="form-checkbox"
                checked={confidential}
                onChange={(e) => setConfidential(e.target.checked)}
                aria-describedby={['engagement-confidential-hint', fe.confidential ? 'engagement-confidential-error' : ''].filter(Boolean).join(' ')}
              />
              <label className="form-label" htmlFor="engagement-confidential">
                {t('engagementForm.confidential')}
              </label>
              <span className="form-hint" id="engagement-confidential-hint">
                {t('engagementForm.confidentialHint')}
              </span>
            </div>
          </div>
        )}
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('engagementForm.submit')}
        </button>
      </form>
    </>
  );
}
