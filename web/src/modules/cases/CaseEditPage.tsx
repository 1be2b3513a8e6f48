import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { CheckboxList, ErrorAlert, ErrorSummary, errorSummaryItems, Field, Fieldset, fieldErrorsOf, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { useSession } from '../auth/session.tsx';
import { useCompanyConsents } from '../consents/api.ts';
import { useMunicipalities, useOrganisations } from '../organisations/hooks.ts';
import { CATALOGUE_THEMES } from '../offers/catalogue/options.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import type { PublicOfferPage } from '../offers/catalogue/api.ts';
import { casesApi, CASES_KEY, type CaseStory } from './api.ts';
import type { CaseBenefit, CaseCompanySize, CaseIndustry, CaseJobContent } from '#server/modules/cases/schemas.ts';
import type { ThemeKey } from '#server/modules/organisations/schemas.ts';
import { CASE_BENEFITS, CASE_INDUSTRIES, CASE_JOB_CONTENTS, CASE_SIZES } from './options.ts';
import { benefitLabel, industryLabel, jobContentLabel, sizeLabel } from './labels.ts';
import { CaseStatusTag } from './CasesPage.tsx';
import './cases.css';

interface FormState {
  title: string;
  summary: string;
  story: string;
  whatWasDone: string;
  benefit: string;
  companyCvr: string;
  consentId: string;
  organisationIds: string[];
  industries: CaseIndustry[];
  municipalityCodes: string[];
  jobContents: CaseJobContent[];
  companySize: CaseCompanySize | '';
  benefits: CaseBenefit[];
  themes: ThemeKey[];
  offerIds: string[];
  videoUrl: string;
}

const FIELD_TARGETS = [
  ['title', 'case-title'],
  ['companyCvr', 'case-cvr'],
  ['summary', 'case-summary'],
  ['story', 'case-story'],
  ['whatWasDone', 'case-done'],
  ['benefit', 'case-benefit'],
  ['consentId', 'case-consent'],
  ['organisationIds', 'case-organisations'],
  ['municipalityCodes', 'case-municipalities'],
  ['offerIds', 'case-offers'],
  ['videoUrl', 'case-video'],
] as const;

function stateOf(c: CaseStory | undefined, organisationId: string): FormState {
  return {
    title: c?.title ?? '',
    summary: c?.summary ?? '',
    story: c?.story ?? '',
    whatWasDone: c?.whatWasDone ?? '',
    benefit: c?.benefit ?? '',
    companyCvr: c?.company.cvr ?? '',
    consentId: c?.consent?.id ?? '',
    organisationIds: c ? c.organisations.map((o) => o.id) : [organisationId],
    industries: (c?.industries ?? []) as CaseIndustry[],
    municipalityCodes: c ? c.municipalities.map((m) => String(m.code)) : [],
    jobContents: (c?.jobContents ?? []) as CaseJobContent[],
    companySize: (c?.companySize ?? '') as CaseCompanySize | '',
    benefits: (c?.benefits ?? []) as CaseBenefit[],
    themes: (c?.themes ?? []) as ThemeKey[],
    offerIds: c?.offers.map((o) => o.id) ?? [],
    videoUrl: c?.videoUrl ?? '',
  };
}

/** The editor of one case: /gode-historier/ny and /gode-historier/:id. */
export function CaseEditPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const session = useSession().data;
  const story = useQuery({ queryKey: [...CASES_KEY, id], queryFn: () => casesApi.get(id!), enabled: !!id, retry: false });
  usePageTitle(id ? (story.data?.title ?? t('cases.title')) : t('cases.edit.newTitle'));
  if (!session) return <Loading />;
  if (id && story.isPending) return <Loading />;
  if (id && story.error) {
    return (
      <>
        <p className="kp-back"><Link to="/gode-historier" className="back-link">{t('cases.edit.back')}</Link></p>
        <h1>{t('cases.title')}</h1>
        {story.error instanceof ApiError && story.error.status === 404 ? <p>{t('cases.edit.notFound')}</p> : <ErrorAlert error={story.error} />}
      </>
    );
  }
  return <Editor key={story.data?.id ?? 'new'} story={story.data} organisationId={session.user.organisation.id} />;
}

/**
 * The case as last read or saved (`base`) is the base of the optimistic lock: a background refetch
 * does not move the version on under the user's changes; only our own saves do.
 */
function Editor({ story: initialStory, organisationId }: { story: CaseStory | undefined; organisationId: string }) {
  const { t, d } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [story, setStory] = useState<CaseStory | undefined>(initialStory);
  const initial = stateOf(story, organisationId);
  const [f, setF] = useState<FormState>(() => stateOf(initialStory, organisationId));
  const [summaryKey, setSummaryKey] = useState(0);
  const created = (location.state as { created?: boolean } | null)?.created;
  const [done, setDone] = useState<string | null>(created ? t('cases.edit.saved') : null);
  const [goTo, setGoTo] = useState<string | null>(null);
  // After creating: leave /ny once the form no longer counts as unsaved (the guard would ask otherwise).
  useEffect(() => {
    if (!goTo) return;
    const timer = setTimeout(() => void navigate(goTo, { replace: true, state: { created: true } }), 0);
    return () => clearTimeout(timer);
  }, [goTo, navigate]);
  const keep = (saved: CaseStory) => {
    setStory(saved);
    setF(stateOf(saved, organisationId));
    queryClient.setQueryData([...CASES_KEY, saved.id], saved);
  };
  const canManage = story ? story.abilities.manage : true;
  const dirty = JSON.stringify(f) !== JSON.stringify(initial);
  useUnsavedChanges(dirty);
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setF((prev) => ({ ...prev, [key]: value }));

  const cvrValid = /^\d{8}$/.test(f.companyCvr);
  const consents = useCompanyConsents(f.companyCvr, cvrValid);
  const publicationConsents = (consents.data?.items ?? []).filter((c) => c.purpose === 'publication' && c.active && c.recordedByOrganisation?.id === organisationId);
  const organisations = useOrganisations(true);
  const municipalities = useMunicipalities();
  const offers = useQuery({ queryKey: ['public-offers', 'all'], queryFn: () => request<PublicOfferPage>('GET', '/public/offers?pageSize=50') });

  const body = () => ({
    title: f.title,
    summary: f.summary,
    story: f.story,
    whatWasDone: f.whatWasDone,
    benefit: f.benefit,
    consentId: f.consentId || null,
    organisationIds: f.organisationIds,
    industries: f.industries,
    jobContents: f.jobContents,
    benefits: f.benefits,
    themes: f.themes,
    offerIds: f.offerIds,
    videoUrl: f.videoUrl.trim() || null,
  });

  const save = useMutation({
    mutationFn: () => {
      if (story) {
        return casesApi.update(story.id, {
          ...body(),
          version: story.version,
          municipalityCodes: f.municipalityCodes.map(Number),
          companySize: f.companySize || null,
        });
      }
      return casesApi.create({
        ...body(),
        companyCvr: f.companyCvr,
        ...(f.municipalityCodes.length ? { municipalityCodes: f.municipalityCodes.map(Number) } : {}),
        ...(f.companySize ? { companySize: f.companySize } : {}),
      });
    },
    onSuccess: (saved) => {
      keep(saved);
      void queryClient.invalidateQueries({ queryKey: CASES_KEY, exact: true });
      if (!story) setGoTo(`/gode-historier/${saved.id}`);
      else setDone(t('cases.edit.saved'));
    },
    onError: () => setSummaryKey((k) => k + 1),
  });
  const move = useMutation({
    mutationFn: (action: 'publish' | 'archive') => (action === 'publish' ? casesApi.publish(story!.id) : casesApi.archive(story!.id)),
    onSuccess: (moved) => {
      keep(moved);
      void queryClient.invalidateQueries({ queryKey: CASES_KEY, exact: true });
      setDone(moved.status === 'published' ? t('cases.edit.published') : t('cases.edit.archived'));
    },
  });

  const errors = fieldErrorsOf(save.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    save.mutate();
  };
  const heading = story ? story.title : t('cases.edit.newTitle');

  return (
    <>
      <p className="kp-back"><Link to="/gode-historier" className="back-link">{t('cases.edit.back')}</Link></p>
      <h1>{heading}</h1>
      {story && (
        <p>
          <CaseStatusTag status={story.status} />{' '}
          {story.public && <Link to={`/historier/${story.id}`}>{t('cases.edit.publicLink')}</Link>}
        </p>
      )}
      {done && <SuccessAlert focusKey={done.length}>{done}</SuccessAlert>}
      <ErrorAlert error={move.error} />
      {save.error && !(save.error instanceof ApiError && Object.keys(errors).length > 0) && <ErrorAlert error={save.error} />}
      <ErrorSummary id="case-error-summary" heading={t('cases.edit.errors')} items={errorSummaryItems(errors, FIELD_TARGETS)} focusKey={summaryKey} />
      {!canManage && <p>{t('cases.edit.readOnly')}</p>}
      <form onSubmit={onSubmit} noValidate className="kp-case-form">
        <fieldset disabled={!canManage}>
          <Field id="case-title" label={t('cases.edit.title')} error={errors.title}>
            {(describedBy) => <input id="case-title" className="form-input input-width-xl" value={f.title} maxLength={200} onChange={(e) => set('title')(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          {story ? (
            <p>{t('cases.edit.company', { name: story.company.name || story.company.cvr, cvr: story.company.cvr })}</p>
          ) : (
            <Field id="case-cvr" label={t('cases.edit.cvr')} hint={t('cases.edit.cvrHint')} error={errors.companyCvr}>
              {(describedBy) => <input id="case-cvr" className="form-input input-char-8" inputMode="numeric" value={f.companyCvr} maxLength={8} onChange={(e) => set('companyCvr')(e.target.value.trim())} aria-describedby={describedBy} />}
            </Field>
          )}
          <Field id="case-summary" label={t('cases.edit.summary')} hint={t('cases.edit.summaryHint')} error={errors.summary}>
            {(describedBy) => <textarea id="case-summary" className="form-input" rows={3} value={f.summary} maxLength={500} onChange={(e) => set('summary')(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field id="case-story" label={t('cases.edit.story')} error={errors.story}>
            {(describedBy) => <textarea id="case-story" className="form-input" rows={8} value={f.story} onChange={(e) => set('story')(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field id="case-done" label={t('cases.edit.whatWasDone')} error={errors.whatWasDone}>
            {(describedBy) => <textarea id="case-done" className="form-input" rows={4} value={f.whatWasDone} onChange={(e) => set('whatWasDone')(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field id="case-benefit" label={t('cases.edit.benefit')} error={errors.benefit}>
            {(describedBy) => <textarea id="case-benefit" className="form-input" rows={4} value={f.benefit} onChange={(e) => set('benefit')(e.target.value)} aria-describedby={describedBy} />}
          </Field>

          <Field id="case-consent" label={t('cases.edit.consent')} hint={t('cases.edit.consentHint')} error={errors.consentId}>
            {(describedBy) => (
              <select id="case-consent" className="form-select" value={f.consentId} onChange={(e) => set('consentId')(e.target.value)} aria-describedby={describedBy}>
                <option value="">{t('cases.edit.consentNone')}</option>
                {f.consentId && !publicationConsents.some((c) => c.id === f.consentId) && <option value={f.consentId}>{f.consentId}</option>}
                {publicationConsents.map((c) => (
                  <option key={c.id} value={c.id}>{t('cases.edit.consentOption', { name: c.givenByName, date: d(c.givenAt) })}</option>
                ))}
              </select>
            )}
          </Field>
          {story?.consent && <p className="kp-case-consent-state">{story.consent.active ? t('cases.edit.consentState.active') : t('cases.edit.consentState.inactive')}</p>}
          {cvrValid && (
            <p><Link to={`/virksomheder/${f.companyCvr}`}>{t('cases.edit.consentCompanyLink')}</Link></p>
          )}

          <h2>{t('cases.edit.tags')}</h2>
          <Fieldset id="case-industries" legend={t('cases.field.industry')}>
            <CheckboxList idPrefix="case-industry" className="kp-checkbox-columns" options={CASE_INDUSTRIES} label={(k) => industryLabel(t, k)} chosen={f.industries} onChange={(v) => set('industries')(v as CaseIndustry[])} />
          </Fieldset>
          <Field id="case-municipalities" label={t('cases.edit.municipalities')} hint={t('cases.edit.municipalitiesHint')} error={errors.municipalityCodes}>
            {(describedBy) => (
              <select id="case-municipalities" className="form-select" multiple size={6} value={f.municipalityCodes} onChange={(e) => set('municipalityCodes')(Array.from(e.target.selectedOptions, (o) => o.value))} aria-describedby={describedBy}>
                {(municipalities.data ?? []).map((m) => (
                  <option key={m.code} value={String(m.code)}>{m.name}</option>
                ))}
              </select>
            )}
          </Field>
          <Fieldset id="case-jobs" legend={t('cases.field.jobContent')}>
            <CheckboxList idPrefix="case-job" className="kp-checkbox-columns" options={CASE_JOB_CONTENTS} label={(k) => jobContentLabel(t, k)} chosen={f.jobContents} onChange={(v) => set('jobContents')(v as CaseJobContent[])} />
          </Fieldset>
          <Field id="case-size" label={t('cases.field.companySize')}>
            {(describedBy) => (
              <select id="case-size" className="form-select" value={f.companySize} onChange={(e) => set('companySize')(e.target.value as CaseCompanySize | '')} aria-describedby={describedBy}>
                <option value="">{t('cases.edit.sizeUnknown')}</option>
                {CASE_SIZES.map((k) => (
                  <option key={k} value={k}>{sizeLabel(t, k)}</option>
                ))}
              </select>
            )}
          </Field>
          <Fieldset id="case-benefits" legend={t('cases.field.benefits')}>
            <CheckboxList idPrefix="case-benefit-tag" className="kp-checkbox-columns" options={CASE_BENEFITS} label={(k) => benefitLabel(t, k)} chosen={f.benefits} onChange={(v) => set('benefits')(v as CaseBenefit[])} />
          </Fieldset>
          <Fieldset id="case-themes" legend={t('cases.field.themes')}>
            <CheckboxList idPrefix="case-theme" className="kp-checkbox-columns" options={CATALOGUE_THEMES} label={(k) => themeLabel(t, k)} chosen={f.themes} onChange={(v) => set('themes')(v as ThemeKey[])} />
          </Fieldset>
          <Field id="case-offers" label={t('cases.field.offers')} hint={t('cases.edit.municipalitiesHint')} error={errors.offerIds}>
            {(describedBy) => (
              <select id="case-offers" className="form-select" multiple size={6} value={f.offerIds} onChange={(e) => set('offerIds')(Array.from(e.target.selectedOptions, (o) => o.value))} aria-describedby={describedBy}>
                {(offers.data?.items ?? []).map((o) => (
                  <option key={o.id} value={o.id}>{o.title}</option>
                ))}
              </select>
            )}
          </Field>
          <Field id="case-video" label={t('cases.edit.video')} hint={t('cases.edit.videoHint')} error={errors.videoUrl}>
            {(describedBy) => <input id="case-video" type="url" className="form-input input-width-xl" value={f.videoUrl} onChange={(e) => set('videoUrl')(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <Field id="case-organisations" label={t('cases.edit.organisations')} hint={t('cases.edit.organisationsHint')} error={errors.organisationIds}>
            {(describedBy) => (
              <select id="case-organisations" className="form-select" multiple size={6} value={f.organisationIds} onChange={(e) => set('organisationIds')(Array.from(e.target.selectedOptions, (o) => o.value))} aria-describedby={describedBy}>
                {(organisations.data ?? []).map((o) => (
                  <option key={o.id} value={o.id}>{o.name}</option>
                ))}
              </select>
            )}
          </Field>
          <div className="kp-button-row mt-5">
            <button type="submit" className="button button-primary" disabled={save.isPending}>{story ? t('cases.edit.save') : t('cases.edit.createSubmit')}</button>
            {story && canManage && story.status !== 'published' && (
              <button type="button" className="button button-secondary" disabled={move.isPending || dirty} onClick={() => move.mutate('publish')}>{t('cases.edit.publish')}</button>
            )}
            {story && canManage && story.status !== 'archived' && (
              <button type="button" className="button button-secondary" disabled={move.isPending || dirty} onClick={() => move.mutate('archive')}>{t('cases.edit.archive')}</button>
            )}
          </div>
        </fieldset>
      </form>
      {story && <Images story={story} onChange={(s) => { setStory(s); queryClient.setQueryData([...CASES_KEY, s.id], s); }} />}
    </>
  );
}

const MAX_BYTES = 512 * 1024;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function Images({ story, onChange }: { story: CaseStory; onChange: (story: CaseStory) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [tooLarge, setTooLarge] = useState(false);
  const [formKey, setFormKey] = useState(0);
  // Images move the case's version on: read it again so that the next save sends the new one.
  const refresh = async () => onChange(await queryClient.fetchQuery({ queryKey: [...CASES_KEY, story.id], queryFn: () => casesApi.get(story.id), staleTime: 0 }));
  const add = useMutation({
    mutationFn: async () => casesApi.addImage(story.id, { alt, data: await readBase64(file!) }),
    onSuccess: async () => {
      setFile(null);
      setAlt('');
      setFormKey((k) => k + 1);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (imageId: string) => casesApi.removeImage(story.id, imageId), onSuccess: refresh });
  const errors = fieldErrorsOf(add.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    if (file.size > MAX_BYTES) return setTooLarge(true);
    setTooLarge(false);
    add.mutate();
  };
  return (
    <section aria-labelledby="case-images" className="mt-7">
      <h2 id="case-images">{t('cases.edit.images')}</h2>
      <p>{t('cases.edit.imagesHint')}</p>
      <ErrorAlert error={remove.error} />
      {story.images.length > 0 && (
        <ul className="unstyled-list">
          {story.images.map((i) => (
            <li key={i.id} className="kp-case-image-row">
              <img src={casesApi.imageUrl(story.id, i.id)} alt={i.alt} />
              {story.abilities.manage && (
                <button type="button" className="button button-tertiary" onClick={() => remove.mutate(i.id)}>{t('cases.edit.imageRemove', { alt: i.alt })}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {story.abilities.manage && (
        <form key={formKey} onSubmit={onSubmit} noValidate>
          <Field id="case-image-file" label={t('cases.edit.imageFile')} error={tooLarge ? t('cases.edit.imageTooLarge') : errors.data}>
            {(describedBy) => <input id="case-image-file" type="file" accept="image/png,image/jpeg,image/gif,image/webp" className="form-file-input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby={describedBy} />}
          </Field>
          <Field id="case-image-alt" label={t('cases.edit.imageAlt')} error={errors.alt}>
            {(describedBy) => <input id="case-image-alt" className="form-input input-width-xl" value={alt} maxLength={300} onChange={(e) => setAlt(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          {add.error && Object.keys(errors).length === 0 && <ErrorAlert error={add.error} />}
          <button type="submit" className="button button-secondary" disabled={!file || !alt.trim() || add.isPending}>{t('cases.edit.imageAdd')}</button>
        </form>
      )}
    </section>
  );
}
