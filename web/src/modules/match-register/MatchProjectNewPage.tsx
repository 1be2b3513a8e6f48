import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { DateField, ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, Fieldset, focusHeading, Loading, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { organisationsApi } from '../organisations/api.ts';
import { MATCH_PROJECTS_KEY, matchRegisterApi } from './api.ts';

/** The seven match types of Vækst Via Viden 2.0 (001 5.1.4), the form's suggestion. */
const DEFAULT_TYPES = ['Studieprojektsamarbejde', 'Studiepraktik', 'Studiejob', 'Virksomhedspraktik', 'Løntilskud', 'Ordinært job', 'Ordinært job med Vækstpilot'];

const keyOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40);

/** A new match project owned by the caller's organisation, /matchregister/nyt; on success its page, heading focused. */
export function MatchProjectNewPage() {
  const { t } = useI18n();
  usePageTitle(t('matchRegister.new.title'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const organisations = useQuery({ queryKey: [...MATCH_PROJECTS_KEY, 'partner-candidates'], queryFn: matchRegisterApi.partnerCandidates });
  const municipalities = useQuery({ queryKey: ['municipalities'], queryFn: organisationsApi.municipalities });
  const [form, setForm] = useState({ name: '', periodStart: '', periodEnd: '', targetTotal: '2000', municipalTarget: '1400', creditRule: 'split', region: '', types: DEFAULT_TYPES.join('\n') });
  const [excluded, setExcluded] = useState<number[]>([]);
  const [partners, setPartners] = useState<string[]>([]);
  const [focusKey, setFocusKey] = useState(0);
  const regions = useMemo(() => [...new Set((municipalities.data?.items ?? []).map((m) => m.region))].sort(), [municipalities.data]);
  const inRegion = useMemo(() => (municipalities.data?.items ?? []).filter((m) => m.region === form.region).sort((a, b) => a.name.localeCompare(b.name, 'da')), [municipalities.data, form.region]);
  const candidates = useMemo(() => {
    const codes = new Set(inRegion.map((m) => m.code));
    // The region's municipal organisations and every organisation without a municipality, in the server's order.
    return (organisations.data?.items ?? []).filter((o) => o.municipalityCode === null || codes.has(o.municipalityCode));
  }, [organisations.data, inRegion]);
  const create = useMutation({
    mutationFn: () =>
      matchRegisterApi.create({
        name: form.name,
        periodStart: toIsoDate(form.periodStart),
        periodEnd: toIsoDate(form.periodEnd),
        creditRule: form.creditRule as 'split' | 'first',
        targetTotal: Number(form.targetTotal),
        municipalTarget: Number(form.municipalTarget),
        municipalityCodes: inRegion.filter((m) => !excluded.includes(m.code)).map((m) => m.code),
        excludedMunicipalityCodes: excluded,
        types: form.types
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((name) => ({ key: keyOf(name), name })),
        partnerIds: partners,
      }),
    onSuccess: (project) => {
      qc.setQueryData([...MATCH_PROJECTS_KEY, project.id], project);
      void qc.invalidateQueries({ queryKey: MATCH_PROJECTS_KEY, exact: true });
      void navigate(`/matchregister/${project.id}`, { state: focusHeading });
    },
    onError: () => setFocusKey((k) => k + 1),
  });
  const errors = fieldErrorsOf(create.error);
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  if (organisations.isPending || municipalities.isPending) return <Loading />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const number = (id: string, field: 'targetTotal' | 'municipalTarget', label: string) => (
    <Field id={id} label={label} error={errors[field]}>
      {(describedBy) => <input id={id} className="form-input input-width-xs" inputMode="numeric" value={form[field]} onChange={(e) => set(field)(e.target.value)} aria-describedby={describedBy} />}
    </Field>
  );
  return (
    <>
      <h1>{t('matchRegister.new.title')}</h1>
      <form onSubmit={submit} noValidate>
        <ErrorSummary
          id="project-errors"
          heading={t('matchRegister.new.errors')}
          items={errorSummaryItems(errors, [['name', 'project-name'], ['periodStart', 'project-start'], ['periodEnd', 'project-end'], ['targetTotal', 'project-total'], ['municipalTarget', 'project-municipal'], ['municipalityCodes', 'project-region'], ['partnerIds', null]])}
          focusKey={focusKey}
        />
        {create.error && Object.keys(errors).length === 0 && <ErrorAlert error={create.error} />}
        <Field id="project-name" label={t('matchRegister.new.name')} error={errors.name}>
          {(describedBy) => <input id="project-name" className="form-input" value={form.name} onChange={(e) => set('name')(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <DateField id="project-start" label={t('matchRegister.new.periodStart')} value={form.periodStart} onChange={set('periodStart')} error={errors.periodStart} required />
        <DateField id="project-end" label={t('matchRegister.new.periodEnd')} value={form.periodEnd} onChange={set('periodEnd')} error={errors.periodEnd} required />
        {number('project-total', 'targetTotal', t('matchRegister.new.targetTotal'))}
        {number('project-municipal', 'municipalTarget', t('matchRegister.new.municipalTarget'))}
        <RadioGroup
          name="credit-rule"
          legend={t('matchRegister.creditRule')}
          value={form.creditRule}
          onChange={set('creditRule')}
          options={[
            { value: 'split', label: t('matchRegister.creditRule.split') },
            { value: 'first', label: t('matchRegister.creditRule.first') },
          ]}
        />
        <Field id="project-region" label={t('matchRegister.new.region')} hint={t('matchRegister.new.regionHint')} error={errors.municipalityCodes}>
          {(describedBy) => (
            <select
              id="project-region"
              className="form-select"
              value={form.region}
              onChange={(e) => {
                set('region')(e.target.value);
                setExcluded([]);
                setPartners([]);
              }}
              aria-describedby={describedBy}
            >
              <option value="">{t('matchRegister.register.choose')}</option>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        {inRegion.length > 0 && (
          <Fieldset id="project-excluded" legend={t('matchRegister.new.excluded')} hint={t('matchRegister.new.excludedHint')}>
            {inRegion.map((m) => (
              <div className="form-group-checkbox" key={m.code}>
                <input
                  type="checkbox"
                  className="form-checkbox"
                  id={`excluded-${m.code}`}
                  checked={excluded.includes(m.code)}
                  onChange={(e) => setExcluded((x) => (e.target.checked ? [...x, m.code] : x.filter((c) => c !== m.code)))}
                />
                <label className="form-label" htmlFor={`excluded-${m.code}`}>
                  {m.name}
                </label>
              </div>
            ))}
          </Fieldset>
        )}
        <Field id="project-types" label={t('matchRegister.types')} hint={t('matchRegister.new.typesHint')} error={errors.types}>
          {(describedBy) => <textarea id="project-types" className="form-input" rows={7} value={form.types} onChange={(e) => set('types')(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        {candidates.length > 0 && (
          <Fieldset id="project-partners" legend={t('matchRegister.new.partners')} hint={t('matchRegister.new.partnersHint')} error={errors.partnerIds}>
            <p>
              <button type="button" className="button button-tertiary" onClick={() => setPartners(candidates.map((o) => o.id))}>
                {t('matchRegister.new.allPartners')}
              </button>
            </p>
            {candidates.map((o) => (
              <div className="form-group-checkbox" key={o.id}>
                <input
                  type="checkbox"
                  className="form-checkbox"
                  id={`partner-${o.id}`}
                  checked={partners.includes(o.id)}
                  onChange={(e) => setPartners((x) => (e.target.checked ? [...x, o.id] : x.filter((id) => id !== o.id)))}
                />
                <label className="form-label" htmlFor={`partner-${o.id}`}>
                  {o.name}
                </label>
              </div>
            ))}
          </Fieldset>
        )}
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {t('matchRegister.new.submit')}
        </button>
      </form>
    </>
  );
}
