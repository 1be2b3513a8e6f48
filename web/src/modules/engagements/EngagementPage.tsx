import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type User } from '../../shared/api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useColleagues, useDeliveryCategories, useThemeName, useThemes } from '../organisations/hooks.ts';
import { ErrorAlert, Field, fieldErrorsOf, InfoAlert, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { companyName, Disclosure, DlRow, isConflict, ScrollRegion } from '../../shared/components/ui.tsx';
import { ActivityForm, activityTypeKey } from '../activities/ActivityForm.tsx';
import { activitiesApi } from '../activities/api.ts';
import { ReferralCard } from '../referrals/components.tsx';
import { ReferralForm } from '../referrals/ReferralForm.tsx';
import { engagementsApi, type EngagementChange, type EngagementDetail, type EngagementLevel } from './api.ts';
import { ConfidentialBadge, EngagementStatusBadge, StaleAlert } from './components.tsx';
import { CloseEngagement, CloseResultAlert, type CloseResult } from './CloseEngagement.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { useCompanyContacts } from '../contacts/api.ts';
import { TasksSection } from '../tasks/TaskList.tsx';

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
  // What closing did (the evaluation invitation): shown, with focus, once the engagement is closed.
  const [closeResult, setCloseResult] = useState<CloseResult | null>(null);

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
                <CloseEngagement key={e.version} e={e} onClosed={setCloseResult} />
              </Disclosure>
            )}
          </div>
        )}
        {closeResult && <CloseResultAlert result={closeResult} />}
        {own && e.status === 'closed' && !closeResult && <p className="mt-5">{t('engagement.isClosed')}</p>}
      </section>

      <section aria-labelledby="engagement-activities" className="mt-7">
        <h2 id="engagement-activities">{t('activities.title')}</h2>
        {open && e.abilities.logActivity && (
          <Disclosure summary={t('activity.register')} className="kp-engagement-activity">
            <ActivityForm
              idPrefix="engagement-activity"
              engagementId={e.id}
              contacts={contacts.data?.items ?? []}
              submit={(input) => activitiesApi.addToEngagement(e.id, input)}
              invalidate={[['engagement', e.id], ...(cvr ? [['company', cvr, 'timeline']] : [])]}
            />
          </Disclosure>
        )}
        {e.activities.length === 0 ? (
          <p>{t('activities.empty')}</p>
        ) : (
          <ScrollRegion>
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
          </ScrollRegion>
        )}
      </section>

      <TasksSection engagementId={e.id} />

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
