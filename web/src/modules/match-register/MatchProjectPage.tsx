import { lazy, Suspense, useMemo, useState, type ComponentProps, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ApiError } from '../../shared/api.ts';
import { today } from '../../shared/dates.ts';
import type { MessageKey } from '../../messages.ts';
import {
  DateField,
  ErrorAlert,
  ErrorSummary,
  errorSummaryItems,
  Field,
  fieldErrorsOf,
  Fieldset,
  Loading,
  SuccessAlert,
  toDanishDate,
  toIsoDate,
  usePageTitle,
} from '../../shared/components/Feedback.tsx';
import { DlRow, isConflict, isForbiddenOrHidden, ScrollRegion, Tabs } from '../../shared/components/ui.tsx';
import { NotFoundPage } from '../../shared/components/NotFoundPage.tsx';
import { useSession } from '../auth/session.tsx';
import {
  EDUCATION_LEVELS,
  fileToBase64,
  MATCH_PROJECTS_KEY,
  matchRegisterApi,
  REPORT_FORMATS,
  reportUrl,
  useMatchProject,
  useOwnMatches,
  useProgress,
  type MatchProject,
  type Progress,
} from './api.ts';
import './match-register.css';

const LazyChart = lazy(() => import('../../shared/BarsChart.tsx'));
function CountChart(props: Omit<ComponentProps<typeof LazyChart>, 'className' | 'percent'>) {
  return (
    <Suspense fallback={<div className="kp-match-chart" />}>
      <LazyChart {...props} percent={false} className="kp-match-chart" />
    </Suspense>
  );
}

/** One match project, /matchregister/:id: progress, the target split, registration and the organisation's own matches. */
export function MatchProjectPage() {
  const { id } = useParams();
  const { t, d, n } = useI18n();
  const query = useMatchProject(id);
  const [tab, setTab] = useState('progress');
  usePageTitle(query.data?.name ?? t('matchRegister.title'));
  if (query.isPending) return <Loading />;
  if (query.isError) return isForbiddenOrHidden(query.error) ? <NotFoundPage /> : <ErrorAlert error={query.error} />;
  const project = query.data;
  const tabs = [
    { id: 'progress', label: t('matchRegister.tab.progress'), content: <ProgressPanel project={project} /> },
    { id: 'split', label: t('matchRegister.tab.split'), content: <SplitPanel project={project} /> },
    ...(project.abilities.register ? [{ id: 'register', label: t('matchRegister.tab.register'), content: <RegisterPanel project={project} /> }] : []),
    { id: 'matches', label: t('matchRegister.tab.matches'), content: <OwnMatchesPanel project={project} /> },
  ];
  return (
    <>
      <h1>{project.name}</h1>
      <dl className="kp-dl">
        <DlRow label={t('matchRegister.owner')}>{project.owner.name}</DlRow>
        <DlRow label={t('matchRegister.period')}>
          {d(project.periodStart)}–{d(project.periodEnd)}
        </DlRow>
        <DlRow label={t('matchRegister.target')}>
          {n(project.targetTotal)}: {t('matchRegister.targetSplit', { municipal: n(project.municipalTarget), partners: n(project.partnerTarget) })}
        </DlRow>
        <DlRow label={t('matchRegister.creditRule')}>{t(`matchRegister.creditRule.${project.creditRule}`)}</DlRow>
        <DlRow label={t('matchRegister.types')}>{project.types.map((x) => x.name).join(', ')}</DlRow>
      </dl>
      <h2>{t('matchRegister.report')}</h2>
      <ul className="kp-match-reports">
        {REPORT_FORMATS.map((format) => (
          <li key={format}>
            <a href={reportUrl(project.id, format)} download>
              {t(`matchRegister.report.${format}`)}
            </a>
          </li>
        ))}
      </ul>
      <Tabs label={project.name} tabs={tabs} selected={tab} onSelect={setTab} />
    </>
  );
}

const percentOf = (credited: number, target: number | null) => (target ? Math.round((credited / target) * 1000) / 10 : null);

function ProgressPanel({ project }: { project: MatchProject }) {
  const { t, n, d } = useI18n();
  const query = useProgress(project.id);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const progress = query.data;
  const others = progress.partners.filter((p) => p.municipalityCode === null);
  return (
    <>
      <h2>{t('matchRegister.progress.total', { matches: n(progress.total.matches), target: n(project.targetTotal), percent: n(percentOf(progress.total.matches, project.targetTotal) ?? 0) })}</h2>
      <p>{t('matchRegister.progress.asOf', { date: d(progress.asOf) })}</p>
      <TargetTable
        heading={t('matchRegister.progress.municipalities')}
        chartLabel={t('matchRegister.progress.chartMunicipalities')}
        rows={progress.municipalities.filter((m) => !m.excluded).map((m) => ({ key: String(m.code), name: m.name, credited: m.credited, target: m.target }))}
      />
      {others.length > 0 && (
        <TargetTable heading={t('matchRegister.progress.partners')} chartLabel={t('matchRegister.progress.chartPartners')} rows={others.map((p) => ({ key: p.organisationId, name: p.name, credited: p.credited, target: p.target }))} />
      )}
      <QuarterTable progress={progress} />
      <ByTypeTable heading={t('matchRegister.progress.municipalitiesByType')} types={progress.types} rows={progress.municipalities.map((m) => ({ key: String(m.code), name: m.name, byType: m.byType, credited: m.credited }))} />
      <ByTypeTable heading={t('matchRegister.progress.allPartners')} types={progress.types} rows={progress.partners.map((p) => ({ key: p.organisationId, name: p.name, byType: p.byType, credited: p.credited }))} />
      <ByTypeTable
        heading={t('matchRegister.progress.partnersByQuarter')}
        types={progress.quarters.map((q) => ({ key: q, name: q }))}
        rows={progress.partners.map((p) => ({ key: p.organisationId, name: p.name, byType: p.byQuarter, credited: p.credited }))}
      />
    </>
  );
}

function ByTypeTable({ heading, types, rows }: { heading: string; types: Progress['types']; rows: { key: string; name: string; byType: Record<string, number>; credited: number }[] }) {
  const { t, n } = useI18n();
  return (
    <section>
      <h3>{heading}</h3>
      <ScrollRegion>
        <table className="table table--zebra">
          <caption className="sr-only">{heading}</caption>
          <thead>
            <tr>
              <th scope="col">{t('matchRegister.progress.col.name')}</th>
              {types.map((x) => (
                <th scope="col" className="kp-num" key={x.key}>
                  {x.name}
                </th>
              ))}
              <th scope="col" className="kp-num">
                {t('matchRegister.progress.col.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                {types.map((x) => (
                  <td className="kp-num" key={x.key}>
                    {n(r.byType[x.key] ?? 0)}
                  </td>
                ))}
                <td className="kp-num">{n(r.credited)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function TargetTable({ heading, chartLabel, rows }: { heading: string; chartLabel: string; rows: { key: string; name: string; credited: number; target: number | null }[] }) {
  const { t, n } = useI18n();
  const categories = useMemo(() => rows.map((r) => r.name), [rows]);
  const series = useMemo(
    () => [
      { name: t('matchRegister.progress.series.credited'), values: rows.map((r) => r.credited) },
      { name: t('matchRegister.progress.series.target'), values: rows.map((r) => r.target ?? 0) },
    ],
    [rows, t],
  );
  return (
    <section>
      <h3>{heading}</h3>
      <CountChart label={chartLabel} categories={categories} series={series} />
      <ScrollRegion>
        <table className="table table--zebra">
          <caption className="sr-only">{heading}</caption>
          <thead>
            <tr>
              <th scope="col">{t('matchRegister.progress.col.name')}</th>
              <th scope="col" className="kp-num">
                {t('matchRegister.progress.col.credited')}
              </th>
              <th scope="col" className="kp-num">
                {t('matchRegister.progress.col.target')}
              </th>
              <th scope="col" className="kp-num">
                {t('matchRegister.progress.col.fulfilment')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const percent = percentOf(r.credited, r.target);
              return (
                <tr key={r.key}>
                  <th scope="row">{r.name}</th>
                  <td className="kp-num">{n(r.credited)}</td>
                  <td className="kp-num">{r.target === null ? t('common.none') : n(r.target)}</td>
                  <td className="kp-num">{percent === null ? t('common.none') : `${n(percent)} %`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function QuarterTable({ progress }: { progress: Progress }) {
  const { t, n } = useI18n();
  const series = useMemo(
    () => progress.types.map((x) => ({ name: x.name, values: progress.quarters.map((q) => quarterTypeCount(progress, q, x.key)) })),
    [progress],
  );
  return (
    <section>
      <h3>{t('matchRegister.progress.byQuarter')}</h3>
      <CountChart label={t('matchRegister.progress.chartQuarters')} categories={progress.quarters} series={series} stacked />
      <ScrollRegion>
        <table className="table table--zebra">
          <caption className="sr-only">{t('matchRegister.progress.byQuarter')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('matchRegister.progress.col.quarter')}</th>
              {progress.types.map((x) => (
                <th scope="col" className="kp-num" key={x.key}>
                  {x.name}
                </th>
              ))}
              <th scope="col" className="kp-num">
                {t('matchRegister.progress.col.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {progress.quarters.map((q) => (
              <tr key={q}>
                <th scope="row">{q}</th>
                {progress.types.map((x) => (
                  <td className="kp-num" key={x.key}>
                    {n(quarterTypeCount(progress, q, x.key))}
                  </td>
                ))}
                <td className="kp-num">{n(progress.total.byQuarter[q] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

/** Matches of one type in one quarter (each counted once). */
const quarterTypeCount = (progress: Progress, quarter: string, type: string) => progress.total.byTypeQuarter[`${type}|${quarter}`] ?? 0;

/** A typed count: empty is none; anything but digits goes to the server as typed, which names the field in its answer. */
const countOrNull = (text: string | undefined): number | null => {
  const v = (text ?? '').trim();
  if (v === '') return null;
  return /^\d+$/.test(v) ? Number(v) : (v as unknown as number);
};

function SplitPanel({ project }: { project: MatchProject }) {
  const { t, n } = useI18n();
  const qc = useQueryClient();
  const manage = project.abilities.manage;
  const [overrides, setOverrides] = useState<Record<number, string>>(() => Object.fromEntries((project.municipalities ?? []).filter((m) => m.overridden).map((m) => [m.code, String(m.target)])));
  const [targets, setTargets] = useState<Record<string, string>>(() => Object.fromEntries(project.partners.filter((p) => p.municipalityCode === null).map((p) => [p.organisationId, p.target === null ? '' : String(p.target)])));
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const [focusKey, setFocusKey] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const saved = (p: MatchProject, text: string) => {
    qc.setQueryData([...MATCH_PROJECTS_KEY, p.id], p);
    void qc.invalidateQueries({ queryKey: [...MATCH_PROJECTS_KEY, p.id, 'progress'] });
    setNotice((s) => ({ text, n: (s?.n ?? 0) + 1 }));
  };
  const save = useMutation({
    mutationFn: () =>
      matchRegisterApi.change(project.id, {
        version: project.version,
        municipalities: (project.municipalities ?? []).filter((m) => !m.excluded).map((m) => ({ code: m.code, targetOverride: countOrNull(overrides[m.code]) })),
        partners: project.partners.filter((p) => p.municipalityCode === null).map((p) => ({ organisationId: p.organisationId, target: countOrNull(targets[p.organisationId]) })),
      }),
    onSuccess: (p) => saved(p, t('matchRegister.split.saved')),
    onError: () => setFocusKey((k) => k + 1),
  });
  const upload = useMutation({
    mutationFn: async () => matchRegisterApi.importWorkplaces(project.id, await fileToBase64(file!)),
    onSuccess: (p) => saved(p, t('matchRegister.import.done')),
  });
  const errors = fieldErrorsOf(save.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const others = project.partners.filter((p) => p.municipalityCode === null);
  return (
    <>
      {notice && <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert>}
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary id="split-errors" heading={t('matchRegister.split.errors')} items={errorSummaryItems(errors, [])} focusKey={focusKey} />
        {isConflict(save.error) && <ErrorAlert error={save.error} />}
        <h2>{t('matchRegister.split.heading')}</h2>
        <p>{project.workplacesSource ? t('matchRegister.split.source', { source: project.workplacesSource }) : t('matchRegister.split.noSource')}</p>
        {project.splitProblem && <p className="alert alert-warning">{t(`matchRegister.split.problem.${project.splitProblem}` as MessageKey)}</p>}
        {manage && <p className="form-hint">{t('matchRegister.split.overrideHint')}</p>}
        {project.municipalities && (
          <ScrollRegion>
            <table className="table table--zebra">
              <caption className="sr-only">{t('matchRegister.split.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('matchRegister.split.col.municipality')}</th>
                  <th scope="col" className="kp-num">
                    {t('matchRegister.split.col.workplaces')}
                  </th>
                  <th scope="col" className="kp-num">
                    {t('matchRegister.split.col.share')}
                  </th>
                  <th scope="col" className="kp-num">
                    {t('matchRegister.split.col.target')}
                  </th>
                  {manage && <th scope="col">{t('matchRegister.split.col.override')}</th>}
                </tr>
              </thead>
              <tbody>
                {project.municipalities.map((m) => (
                  <tr key={m.code}>
                    <th scope="row">{m.name}</th>
                    <td className="kp-num">{n(m.workplaces)}</td>
                    <td className="kp-num">{m.excluded ? t('common.none') : `${n(Math.round(m.share * 1000) / 10)} %`}</td>
                    <td className="kp-num">
                      {m.excluded ? t('matchRegister.split.excluded') : n(m.target)}
                      {m.overridden && ` (${t('matchRegister.split.overridden')})`}
                    </td>
                    {manage && (
                      <td>
                        {!m.excluded && (
                          <input
                            type="text"
                            inputMode="numeric"
                            className="form-input kp-match-override"
                            aria-label={t('matchRegister.split.overrideLabel', { name: m.name })}
                            value={overrides[m.code] ?? ''}
                            onChange={(e) => setOverrides((o) => ({ ...o, [m.code]: e.target.value }))}
                          />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('matchRegister.split.total')}</th>
                  <td className="kp-num">{n(project.municipalities.reduce((s, m) => s + m.workplaces, 0))}</td>
                  <td />
                  <td className="kp-num">{n(project.municipalities.reduce((s, m) => s + m.target, 0))}</td>
                  {manage && <td />}
                </tr>
              </tfoot>
            </table>
          </ScrollRegion>
        )}
        <h2>{t('matchRegister.partners.heading')}</h2>
        <p>{t('matchRegister.partners.allocated', { allocated: n(project.partnerTargetAllocated), total: n(project.partnerTarget) })}</p>
        <ScrollRegion>
          <table className="table table--zebra">
            <caption className="sr-only">{t('matchRegister.partners.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('matchRegister.partners.col.partner')}</th>
                <th scope="col">{t('matchRegister.partners.col.type')}</th>
                <th scope="col" className="kp-num">
                  {t('matchRegister.split.col.target')}
                </th>
              </tr>
            </thead>
            <tbody>
              {others.map((p) => (
                <tr key={p.organisationId}>
                  <th scope="row">{p.name}</th>
                  <td>{t(`orgType.${p.type}`)}</td>
                  <td className="kp-num">
                    {manage ? (
                      <input
                        type="text"
                        inputMode="numeric"
                        className="form-input kp-match-override"
                        aria-label={t('matchRegister.partners.targetLabel', { name: p.name })}
                        value={targets[p.organisationId] ?? ''}
                        onChange={(e) => setTargets((o) => ({ ...o, [p.organisationId]: e.target.value }))}
                      />
                    ) : p.target === null ? (
                      t('common.none')
                    ) : (
                      n(p.target)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        {manage && (
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('matchRegister.split.save')}
          </button>
        )}
      </form>
      {manage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (file) upload.mutate();
          }}
        >
          <h2>{t('matchRegister.import.heading')}</h2>
          <ErrorAlert error={upload.error} />
          <Field id="statbank-file" label={t('matchRegister.import.file')} hint={t('matchRegister.import.hint')} error={fieldErrorsOf(upload.error).contentBase64}>
            {(describedBy) => <input id="statbank-file" type="file" className="form-file-input" accept=".csv,text/csv" aria-describedby={describedBy} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
          </Field>
          <button type="submit" className="button button-secondary" disabled={!file || upload.isPending}>
            {t('matchRegister.import.submit')}
          </button>
        </form>
      )}
    </>
  );
}

function RegisterPanel({ project }: { project: MatchProject }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const empty = { companyCvr: '', typeKey: '', matchedOn: toDanishDate(today()), educationLevel: '', institution: '', helpedBy: [] as string[] };
  const [form, setForm] = useState(empty);
  const [confirm, setConfirm] = useState(false);
  const [focusKey, setFocusKey] = useState(0);
  const [done, setDone] = useState(0);
  const register = useMutation({
    mutationFn: () =>
      matchRegisterApi.register(project.id, {
        companyCvr: form.companyCvr.replace(/\s/g, ''),
        typeKey: form.typeKey,
        matchedOn: toIsoDate(form.matchedOn),
        educationLevel: form.educationLevel as (typeof EDUCATION_LEVELS)[number],
        institution: form.institution,
        helpedBy: form.helpedBy,
        confirmNotDuplicate: confirm,
      }),
    onSuccess: () => {
      setForm(empty);
      setConfirm(false);
      setDone((x) => x + 1);
      void qc.invalidateQueries({ queryKey: [...MATCH_PROJECTS_KEY, project.id] });
    },
    onError: () => setFocusKey((k) => k + 1),
  });
  const duplicate = register.error instanceof ApiError && register.error.status === 409;
  const errors = fieldErrorsOf(register.error);
  const set = (field: keyof typeof empty) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const own = useSession().data?.user.organisation.id;
  const others = project.partners.filter((p) => p.organisationId !== own);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        register.mutate();
      }}
    >
      <h2>{t('matchRegister.register.heading')}</h2>
      {done > 0 && <SuccessAlert focusKey={done}>{t('matchRegister.register.done')}</SuccessAlert>}
      <ErrorSummary
        id="register-errors"
        heading={t('matchRegister.register.errors')}
        items={errorSummaryItems(errors, [['companyCvr', 'match-cvr'], ['typeKey', 'match-type'], ['matchedOn', 'match-date'], ['educationLevel', 'match-level'], ['institution', 'match-institution']])}
        focusKey={focusKey}
      />
      {register.error && !duplicate && Object.keys(errors).length === 0 && <ErrorAlert error={register.error} />}
      <p className="alert alert-info">{t('matchRegister.register.privacy')}</p>
      <Field id="match-cvr" label={t('matchRegister.register.cvr')} error={errors.companyCvr}>
        {(describedBy) => <input id="match-cvr" className="form-input input-width-s" inputMode="numeric" autoComplete="off" value={form.companyCvr} onChange={(e) => set('companyCvr')(e.target.value)} aria-describedby={describedBy} aria-invalid={errors.companyCvr ? true : undefined} />}
      </Field>
      <Field id="match-type" label={t('matchRegister.register.type')} error={errors.typeKey}>
        {(describedBy) => (
          <select id="match-type" className="form-select" value={form.typeKey} onChange={(e) => set('typeKey')(e.target.value)} aria-describedby={describedBy}>
            <option value="">{t('matchRegister.register.choose')}</option>
            {project.types.map((x) => (
              <option key={x.key} value={x.key}>
                {x.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField id="match-date" label={t('matchRegister.register.date')} value={form.matchedOn} onChange={set('matchedOn')} error={errors.matchedOn} required />
      <Field id="match-level" label={t('matchRegister.register.level')} error={errors.educationLevel}>
        {(describedBy) => (
          <select id="match-level" className="form-select" value={form.educationLevel} onChange={(e) => set('educationLevel')(e.target.value)} aria-describedby={describedBy}>
            <option value="">{t('matchRegister.register.choose')}</option>
            {EDUCATION_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`matchRegister.level.${level}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="match-institution" label={t('matchRegister.register.institution')} hint={t('matchRegister.register.institutionHint')} error={errors.institution}>
        {(describedBy) => <input id="match-institution" className="form-input input-width-m" value={form.institution} onChange={(e) => set('institution')(e.target.value)} aria-describedby={describedBy} />}
      </Field>
      <Fieldset id="match-helpers" legend={t('matchRegister.register.helpedBy')} hint={t('matchRegister.register.helpedByHint')}>
        <div className="kp-checkbox-columns">
          {others.map((p) => (
            <div className="form-group-checkbox" key={p.organisationId}>
              <input
                type="checkbox"
                className="form-checkbox"
                id={`helper-${p.organisationId}`}
                checked={form.helpedBy.includes(p.organisationId)}
                onChange={(e) => setForm((f) => ({ ...f, helpedBy: e.target.checked ? [...f.helpedBy, p.organisationId] : f.helpedBy.filter((x) => x !== p.organisationId) }))}
              />
              <label className="form-label" htmlFor={`helper-${p.organisationId}`}>
                {p.name}
              </label>
            </div>
          ))}
        </div>
      </Fieldset>
      {duplicate && (
        <div className="alert alert-warning" role="alert">
          <p className="alert-text">{t('matchRegister.register.duplicate')}</p>
          <div className="form-group-checkbox">
            <input type="checkbox" className="form-checkbox" id="match-confirm" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} />
            <label className="form-label" htmlFor="match-confirm">
              {t('matchRegister.register.confirm')}
            </label>
          </div>
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={register.isPending}>
        {t('matchRegister.register.submit')}
      </button>
    </form>
  );
}

function OwnMatchesPanel({ project }: { project: MatchProject }) {
  const { t, d, n } = useI18n();
  const qc = useQueryClient();
  const query = useOwnMatches(project.id);
  const [deleted, setDeleted] = useState(0);
  const remove = useMutation({
    mutationFn: (matchId: string) => matchRegisterApi.remove(project.id, matchId),
    onSuccess: () => {
      setDeleted((x) => x + 1);
      void qc.invalidateQueries({ queryKey: [...MATCH_PROJECTS_KEY, project.id] });
    },
  });
  const typeName = new Map(project.types.map((x) => [x.key, x.name]));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (query.data.items.length === 0) return <p>{t('matchRegister.matches.empty')}</p>;
  return (
    <>
      <p>{t('matchRegister.matches.intro')}</p>
      {deleted > 0 && <SuccessAlert focusKey={deleted}>{t('matchRegister.matches.deleted')}</SuccessAlert>}
      <ErrorAlert error={remove.error} />
      <ScrollRegion>
        <table className="table table--zebra">
          <caption className="sr-only">{t('matchRegister.tab.matches')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('matchRegister.matches.col.date')}</th>
              <th scope="col">{t('matchRegister.matches.col.company')}</th>
              <th scope="col">{t('matchRegister.matches.col.type')}</th>
              <th scope="col">{t('matchRegister.matches.col.education')}</th>
              <th scope="col">{t('matchRegister.matches.col.partners')}</th>
              <th scope="col">
                <span className="sr-only">{t('matchRegister.matches.delete')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((m) => (
              <tr key={m.id}>
                <td className="kp-nowrap">{d(m.matchedOn)}</td>
                <td>
                  {m.company.name} ({m.company.cvr})
                </td>
                <td>{typeName.get(m.typeKey) ?? m.typeKey}</td>
                <td>
                  {t(`matchRegister.level.${m.educationLevel}`)}, {m.institution}
                </td>
                <td>{m.partners.map((p) => `${p.name} (${n(p.credit)})`).join(', ')}</td>
                <td>
                  {m.abilities.delete && (
                    <button
                      type="button"
                      className="button button-tertiary"
                      aria-label={t('matchRegister.matches.deleteLabel', { company: m.company.name, date: d(m.matchedOn) })}
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(m.id)}
                    >
                      {t('matchRegister.matches.delete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
