import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import {
  EFFECT_ANSWERS,
  evaluationExportUrl,
  evaluationsApi,
  type EvaluationChoices,
  type EvaluationComment,
  type EvaluationFigures,
  type EvaluationFilters,
  type EvaluationGroupBy,
  type EvaluationResult,
  type EvaluationResults,
  type EvaluationSettings,
  type EvaluationSettingsInput,
  type EvaluationTrigger,
} from './api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useColleagues, useDeliveryCategories, useMunicipalities } from '../organisations/hooks.ts';
import { DateField, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, toDanishDate, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { Disclosure, ScrollRegion } from '../../shared/components/ui.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';

const ALL = 'alle';

export function EvaluationDashboardPage() {
  const { t } = useI18n();
  usePageTitle(t('eval.title'));
  // The hubs to pick, where the page opens and what the caller may do with each hub's results: the server's answer.
  const choices = useQuery({ queryKey: ['evaluation-choices'], queryFn: evaluationsApi.evaluationChoices, staleTime: 10 * 60_000 });
  return (
    <>
      <h1>{t('eval.title')}</h1>
      <p className="font-lead">{t('eval.intro')}</p>
      <ErrorAlert error={choices.error} />
      {choices.data ? <Dashboard choices={choices.data} /> : !choices.error && <Loading />}
    </>
  );
}

/** Number formatting with at most one decimal, the Danish way (55,3). */
function useFormat() {
  const { lang, t } = useI18n();
  return useMemo(() => {
    const locale = lang === 'da' ? 'da-DK' : 'en-GB';
    const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const oneFixed = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' });
    return {
      num: (v: number | null) => (v === null ? t('eval.noData') : one.format(v)),
      pct: (v: number | null) => (v === null ? t('eval.noData') : `${one.format(v)} %`),
      margin: (v: number | null) => (v === null ? '' : t('eval.margin', { v: oneFixed.format(v) })),
      goal: (v: number | null) => (v === null ? t('eval.noData') : t('eval.goalMet', { p: one.format(v) })),
      month: (key: string) => {
        const m = /^(\d{4})-(\d{2})$/.exec(key);
        return m ? month.format(new Date(Number(m[1]), Number(m[2]) - 1, 1)) : key;
      },
      share: (n: number, total: number) => t('eval.countShare', { n: one.format(n), p: one.format(total > 0 ? (100 * n) / total : 0) }),
    };
  }, [lang, t]);
}

function Dashboard({ choices }: { choices: EvaluationChoices }) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const { hubs } = choices;
  const ownHub = choices.ownHub ?? undefined;

  const hubParam = params.get('hus');
  const hub = hubParam === ALL ? undefined : (hubParam ?? ownHub);
  // Per-adviser figures, comments and settings are offered where the server says the caller may use them.
  const chosen = hub ? hubs.find((h) => h.id === hub) : undefined;
  const groupings = chosen?.groupings ?? choices.groupings;
  const byAdviser = chosen?.abilities.byAdviser ?? false;
  const groupParam = params.get('gruppering');
  // What the server answers with (disclosure control, period, grouping) is its decision: the page asks
  // as the user chose and shows what came back.
  const defaultGroup: EvaluationGroupBy = hub ? 'municipality' : 'hub';
  const groupBy: EvaluationGroupBy = groupings.find((g) => g === groupParam) ?? defaultGroup;
  const filters: EvaluationFilters = {
    hub,
    municipality: params.get('kommune') ?? undefined,
    deliveryCategory: params.get('kategori') ?? undefined,
    adviser: byAdviser ? (params.get('raadgiver') ?? undefined) : undefined,
    from: params.get('fra') ?? undefined,
    to: params.get('til') ?? undefined,
    groupBy,
  };

  const results = useQuery({
    queryKey: ['evaluation-results', filters],
    queryFn: () => evaluationsApi.evaluationResults(filters),
    placeholderData: keepPreviousData,
  });
  const fe = fieldErrorsOf(results.error);
  const hubName = hub ? (chosen?.name ?? '') : t('eval.allHubs');
  const controlled = results.data?.disclosureControl ?? false;
  const answeredGroupBy = results.data?.groupBy ?? groupBy;

  return (
    <>
      <EvaluationFilterForm key={params.toString()} choices={choices} initial={filters} fieldErrors={fe} controlled={controlled} />

      <section aria-labelledby="eval-overall" className="mt-7">
        <h2 id="eval-overall">{hubName ? t('eval.overallFor', { name: hubName }) : t('eval.overall')}</h2>
        {results.isLoading && <Loading />}
        <ErrorAlert error={results.error} />
        {results.data?.disclosureControl && <DisclosureNote answer={results.data} />}
        {results.data && <Overall r={results.data.overall} limit={results.data.suppressionLimit} />}
      </section>

      {results.data && !results.data.overall.suppressed && results.data.overall.answers > 0 && <Distribution r={results.data.overall} />}

      {results.data && (
        <section aria-labelledby="eval-groups" className="mt-7">
          <h2 id="eval-groups">{t('eval.groups')}</h2>
          {!results.isPlaceholderData && answeredGroupBy !== groupBy && <p className="form-hint kp-eval-grouped-by-month">{t('disclosure.groupedByMonth')}</p>}
          <GroupTable groups={results.data.groups} overall={results.data.overall} groupBy={answeredGroupBy} limit={results.data.suppressionLimit} categoryHub={hub ?? ownHub} />
          <div className="kp-eval-export mt-5">
            <h3 className="h4">{t('eval.export')}</h3>
            <ul className="kp-plain-list kp-button-row">
              <li>
                <a href={evaluationExportUrl('csv', filters)} className="button button-secondary" download>
                  {t('eval.exportCsv')}
                </a>
              </li>
              <li>
                <a href={evaluationExportUrl('xlsx', filters)} className="button button-secondary" download>
                  {t('eval.exportXlsx')}
                </a>
              </li>
            </ul>
          </div>
        </section>
      )}

      {chosen?.abilities.comments && hub && <Comments filters={{ ...filters, hub }} />}
      {chosen?.abilities.configure && hub && <SettingsPanel hubId={hub} hubName={hubName} />}
    </>
  );
}

/** The server answered under disclosure control: which period it used, and why figures may be hidden. */
function DisclosureNote({ answer }: { answer: EvaluationResults }) {
  const { t, d } = useI18n();
  const { from, to } = answer.period;
  return (
    <div className="kp-eval-disclosure">
      {from && to && (
        <p className="kp-eval-period">
          <strong>{t('disclosure.evaluationPeriod', { from: d(from), to: d(to) })}</strong>
        </p>
      )}
      <p className="form-hint">{t('disclosure.evaluationNote')}</p>
    </div>
  );
}

function EvaluationFilterForm({
  choices,
  initial,
  fieldErrors: fe,
  controlled,
}: {
  choices: EvaluationChoices;
  initial: EvaluationFilters;
  fieldErrors: Record<string, string>;
  /** The server's last answer was under disclosure control: say what it accepts. */
  controlled: boolean;
}) {
  const { t } = useI18n();
  const [, setParams] = useSearchParams();
  const municipalities = useMunicipalities();
  const [hub, setHub] = useState(initial.hub ?? ALL);
  const [municipality, setMunicipality] = useState(initial.municipality === undefined ? '' : String(initial.municipality));
  const [category, setCategory] = useState(initial.deliveryCategory ?? '');
  const [adviser, setAdviser] = useState(initial.adviser ?? '');
  const [from, setFrom] = useState(() => toDanishDate(initial.from) || (initial.from ?? ''));
  const [to, setTo] = useState(() => toDanishDate(initial.to) || (initial.to ?? ''));
  const [groupBy, setGroupBy] = useState<EvaluationGroupBy>(initial.groupBy ?? 'hub');

  const { hubs } = choices;
  const selected = hub !== ALL ? hubs.find((h) => h.id === hub) : undefined;
  const byAdviser = selected?.abilities.byAdviser ?? false;
  const categoryHub = hub !== ALL ? hub : (choices.ownHub ?? hubs[0]?.id);
  const categories = useDeliveryCategories(categoryHub);
  // Confidential (Early Warning) categories only for those who may see the answers tied to them.
  const categoryOptions = (categories.data ?? []).filter((c) => choices.abilities.confidentialAnswers || !c.confidential);
  const colleagues = useColleagues(byAdviser);
  const groupOptions = selected?.groupings ?? choices.groupings;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    next.set('hus', hub);
    if (municipality) next.set('kommune', municipality);
    if (category) next.set('kategori', category);
    if (byAdviser && adviser) next.set('raadgiver', adviser);
    if (from.trim()) next.set('fra', toIsoDate(from));
    if (to.trim()) next.set('til', toIsoDate(to));
    next.set('gruppering', groupOptions.includes(groupBy) ? groupBy : 'hub');
    setParams(next);
  };

  return (
    <form onSubmit={onSubmit} className="kp-eval-filter" aria-label={t('eval.filters')} noValidate>
      <div className="kp-filter-row">
        <Field id="eval-hub" label={t('eval.hub')} error={fe.hub}>
          {(db) => (
            <select id="eval-hub" className="form-select" value={hub} onChange={(e) => setHub(e.target.value)} aria-describedby={db} aria-invalid={fe.hub ? true : undefined}>
              <option value={ALL}>{t('eval.allHubs')}</option>
              {hubs.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="eval-municipality" label={t('eval.municipality')} error={fe.municipality}>
          {(db) => (
            <select id="eval-municipality" className="form-select" value={municipality} onChange={(e) => setMunicipality(e.target.value)} aria-describedby={db} aria-invalid={fe.municipality ? true : undefined}>
              <option value="">{t('common.all')}</option>
              {(municipalities.data ?? []).map((m) => (
                <option key={m.code} value={String(m.code)}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="eval-category" label={t('eval.deliveryCategory')} error={fe.deliveryCategory}>
          {(db) => (
            <select id="eval-category" className="form-select" value={category} onChange={(e) => setCategory(e.target.value)} aria-describedby={db} aria-invalid={fe.deliveryCategory ? true : undefined}>
              <option value="">{t('common.all')}</option>
              {categoryOptions.map((c) => (
                <option key={c.key} value={c.key}>
                  {c.name}
                </option>
              ))}
              {category && !categoryOptions.some((c) => c.key === category) && <option value={category}>{category}</option>}
            </select>
          )}
        </Field>
        {byAdviser && (
          <Field id="eval-adviser" label={t('eval.adviser')} error={fe.adviser}>
            {(db) => (
              <select id="eval-adviser" className="form-select" value={adviser} onChange={(e) => setAdviser(e.target.value)} aria-describedby={db} aria-invalid={fe.adviser ? true : undefined}>
                <option value="">{t('common.all')}</option>
                {(colleagues.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="eval-group" label={t('eval.groupBy')} error={fe.groupBy}>
          {(db) => (
            <select id="eval-group" className="form-select" value={groupBy} onChange={(e) => setGroupBy(e.target.value as EvaluationGroupBy)} aria-describedby={db} aria-invalid={fe.groupBy ? true : undefined}>
              {groupOptions.map((g) => (
                <option key={g} value={g}>
                  {t(`eval.groupBy.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {controlled && <p className="form-hint kp-eval-disclosure-hint">{t('disclosure.oneDimensionHint')}</p>}
      <div className="kp-filter-row">
        <DateField id="eval-from" label={t('eval.from')} value={from} onChange={setFrom} error={fe.from} />
        <DateField id="eval-to" label={t('eval.to')} value={to} onChange={setTo} error={fe.to} />
      </div>
      {controlled && <p className="form-hint kp-eval-disclosure-hint">{t('disclosure.periodHint')}</p>}
      <div className="kp-button-row mt-5">
        <button type="submit" className="button button-primary">
          {t('eval.filter')}
        </button>
        <Link to="/evaluering" className="button button-secondary">
          {t('eval.reset')}
        </Link>
      </div>
    </form>
  );
}

function Card({ id, title, value, lines }: { id: string; title: string; value: string; lines: string[] }) {
  return (
    <li className={`kp-eval-card kp-eval-card-${id}`}>
      <h3 className="kp-eval-card-title" id={`eval-card-${id}`}>
        {title}
      </h3>
      <p className="kp-eval-value">{value}</p>
      {lines
        .filter(Boolean)
        .map((l) => (
          <p className="kp-eval-line" key={l}>
            {l}
          </p>
        ))}
    </li>
  );
}

function Overall({ r, limit }: { r: EvaluationResult; limit: number }) {
  const { t } = useI18n();
  const f = useFormat();
  if (r.suppressed) {
    return (
      <>
        <p className="kp-eval-suppressed">
          <strong>{t('eval.suppressed')}</strong>
        </p>
        <p>{t('eval.suppressedNote', { n: limit })}</p>
      </>
    );
  }
  return (
    <ul className="kp-eval-cards">
      <Card
        id="nps"
        title={t('eval.nps')}
        value={f.num(r.nps)}
        lines={[r.npsMarginOfError !== null ? `${t('eval.marginLabel')}: ${f.margin(r.npsMarginOfError)}` : '', t('eval.goal1', { value: f.goal(r.npsFulfilment) }), t('eval.npsHint')]}
      />
      <Card
        id="effect"
        title={t('eval.effectShare')}
        value={f.pct(r.effectShare)}
        lines={[r.effectMarginOfError !== null ? `${t('eval.marginLabel')}: ${f.margin(r.effectMarginOfError)}` : '', t('eval.goal2', { value: f.goal(r.effectFulfilment) }), t('eval.effectShareHint')]}
      />
      <Card id="answers" title={t('eval.answers')} value={f.num(r.answers)} lines={[]} />
      <Card id="response" title={t('eval.responseRate')} value={f.pct(r.responseRate)} lines={[r.invitations > 0 ? t('eval.invited', { n: f.num(r.invitations) }) : '']} />
    </ul>
  );
}

function Bar({ label, count, total, tone }: { label: string; count: number; total: number; tone: string }) {
  const f = useFormat();
  const width = total > 0 ? (100 * count) / total : 0;
  return (
    <li className="kp-bar-row">
      <span className="kp-bar-label">{label}</span>
      <span className="kp-bar-track" aria-hidden="true">
        <span className={`kp-bar kp-bar-${tone}`} style={{ width: `${width}%` }} />
      </span>
      <span className="kp-bar-value">{f.share(count, total)}</span>
    </li>
  );
}

function Distribution({ r }: { r: EvaluationFigures }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="eval-distribution" className="mt-7 kp-eval-distribution">
      <h2 id="eval-distribution">{t('eval.distribution')}</h2>
      <div className="kp-eval-dist-grid">
        <div>
          <h3 className="h4" id="eval-dist-nps">
            {t('eval.npsDistribution')}
          </h3>
          <ul className="kp-bars" aria-labelledby="eval-dist-nps">
            <Bar label={t('eval.promoters')} count={r.promoters} total={r.npsAnswers} tone="promoters" />
            <Bar label={t('eval.passives')} count={r.passives} total={r.npsAnswers} tone="passives" />
            <Bar label={t('eval.detractors')} count={r.detractors} total={r.npsAnswers} tone="detractors" />
          </ul>
        </div>
        <div>
          <h3 className="h4" id="eval-dist-effect">
            {t('eval.effectDistribution')}
          </h3>
          <ul className="kp-bars" aria-labelledby="eval-dist-effect">
            {EFFECT_ANSWERS.map((a, i) => (
              <Bar key={a} label={t(`effectAnswer.${a}`)} count={r.effectCounts[a] ?? 0} total={r.effectAnswers} tone={i < 2 ? 'positive' : i < 4 ? 'negative' : 'neutral'} />
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

/** What a group without a value (key `-`) is called, per grouping: answers without a category, or matched to no engagement. */
const WITHOUT_VALUE: Partial<Record<EvaluationGroupBy, MessageKey>> = { deliveryCategory: 'eval.withoutCategory', adviser: 'eval.unmatched' };

function GroupTable({
  groups,
  overall,
  groupBy,
  limit,
  categoryHub,
}: {
  groups: EvaluationResult[];
  overall: EvaluationResult;
  groupBy: EvaluationGroupBy;
  limit: number;
  categoryHub: string | undefined;
}) {
  const { t } = useI18n();
  const f = useFormat();
  const categories = useDeliveryCategories(groupBy === 'deliveryCategory' ? categoryHub : undefined);
  if (groups.length === 0) return <p>{t('eval.noAnswers')}</p>;

  const label = (g: EvaluationResult): string => {
    if (groupBy === 'month') return f.month(g.key);
    const without = g.key === '-' ? WITHOUT_VALUE[groupBy] : undefined;
    if (without) return t(without);
    if (groupBy === 'deliveryCategory') return categories.data?.find((c) => c.key === g.key)?.name ?? g.label;
    return g.label === '-' ? t('common.none') : g.label;
  };
  const row = (g: EvaluationResult, name: string, total = false) => {
    const Cell = total ? 'th' : 'td';
    return (
      <tr key={g.key} className={g.suppressed ? 'kp-eval-row-suppressed' : undefined}>
        <th scope="row">{name}</th>
        {g.suppressed ? (
          <td colSpan={6}>{t('eval.suppressed')}</td>
        ) : (
          <>
            <Cell className="kp-num">{f.num(g.answers)}</Cell>
            <Cell className="kp-num">
              {f.num(g.nps)}
              {g.npsMarginOfError !== null && <span className="kp-eval-margin"> {f.margin(g.npsMarginOfError)}</span>}
            </Cell>
            <Cell className="kp-num">{f.goal(g.npsFulfilment)}</Cell>
            <Cell className="kp-num">
              {f.pct(g.effectShare)}
              {g.effectMarginOfError !== null && <span className="kp-eval-margin"> {f.margin(g.effectMarginOfError)}</span>}
            </Cell>
            <Cell className="kp-num">{f.goal(g.effectFulfilment)}</Cell>
            <Cell className="kp-num">{f.pct(g.responseRate)}</Cell>
          </>
        )}
      </tr>
    );
  };
  return (
    <ScrollRegion>
      <table className="table table--zebra table--compact kp-eval-groups">
        <caption className="sr-only">{t('eval.groupsCaption', { by: t(`eval.groupBy.${groupBy}`).toLowerCase() })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`eval.groupBy.${groupBy}`)}</th>
            <th scope="col" className="kp-num">{t('eval.col.answers')}</th>
            <th scope="col" className="kp-num">{t('eval.col.nps')}</th>
            <th scope="col" className="kp-num">{t('eval.col.goal1')}</th>
            <th scope="col" className="kp-num">{t('eval.col.effect')}</th>
            <th scope="col" className="kp-num">{t('eval.col.goal2')}</th>
            <th scope="col" className="kp-num">{t('eval.col.responseRate')}</th>
          </tr>
        </thead>
        <tbody>{groups.map((g) => row(g, label(g)))}</tbody>
        <tfoot>{row({ ...overall, key: '*' }, t('eval.total'))}</tfoot>
      </table>
      {(overall.suppressed || groups.some((g) => g.suppressed)) && <p className="kp-eval-suppressed-note">{t('eval.suppressedNote', { n: limit })}</p>}
    </ScrollRegion>
  );
}

function Comments({ filters }: { filters: EvaluationFilters & { hub: string } }) {
  const { t } = useI18n();
  const comments = useQuery({
    queryKey: ['evaluation-comments', filters],
    queryFn: () => evaluationsApi.evaluationComments(filters),
    placeholderData: keepPreviousData,
  });
  // Comments stay with the hub that gave the guidance: anyone else is refused, and the section is hidden.
  if (comments.error instanceof ApiError && comments.error.status === 403) return null;
  return (
    <section aria-labelledby="eval-comments" className="mt-7">
      <h2 id="eval-comments">{t('eval.comments')}</h2>
      <p>{t('eval.commentsIntro')}</p>
      {comments.isLoading && <Loading />}
      <ErrorAlert error={comments.error} />
      {comments.data && <CommentTable items={comments.data.items} />}
    </section>
  );
}

function CommentTable({ items }: { items: EvaluationComment[] }) {
  const { t, d, n } = useI18n();
  const none = t('common.none');
  if (items.length === 0) return <p>{t('eval.commentsEmpty')}</p>;
  return (
    <ScrollRegion>
      <table className="table table--zebra table--compact kp-eval-comments">
        <caption className="sr-only">{t('eval.commentsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('eval.col.date')}</th>
            <th scope="col">{t('eval.col.company')}</th>
            <th scope="col" className="kp-num">{t('eval.col.npsAnswer')}</th>
            <th scope="col">{t('eval.col.effectAnswer')}</th>
            <th scope="col">{t('eval.col.comment')}</th>
            <th scope="col">{t('eval.col.engagement')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td className="kp-nowrap">{d(c.answeredOn)}</td>
              <td>{c.company ? <Link to={`/virksomheder/${c.company.cvr}`}>{c.company.name ?? c.company.cvr}</Link> : none}</td>
              <td className="kp-num">{c.nps === null ? none : n(c.nps)}</td>
              <td>{c.effect ? ((EFFECT_ANSWERS as readonly string[]).includes(c.effect) ? t(`effectAnswer.${c.effect as (typeof EFFECT_ANSWERS)[number]}`) : c.effect) : none}</td>
              <td className="kp-pre">{c.comment}</td>
              <td>{c.engagementId ? <Link to={`/forloeb/${c.engagementId}`}>{t('eval.openEngagement')}<span className="sr-only"> ({c.company?.name ?? d(c.answeredOn)})</span></Link> : none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function SettingsPanel({ hubId, hubName }: { hubId: string; hubName: string }) {
  const { t } = useI18n();
  const settings = useQuery({ queryKey: ['evaluation-settings', hubId], queryFn: () => evaluationsApi.evaluationSettings(hubId) });
  return (
    <div className="mt-7">
      <Disclosure summary={t('evalSettings.title')} className="kp-eval-settings">
        <p>{t('evalSettings.intro', { hub: hubName })}</p>
        {settings.isLoading && <Loading />}
        <ErrorAlert error={settings.error} />
        {settings.data && <SettingsForm key={hubId} hubId={hubId} initial={settings.data} />}
      </Disclosure>
    </div>
  );
}

function SettingsForm({ hubId, initial }: { hubId: string; initial: EvaluationSettings }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [trigger, setTrigger] = useState<EvaluationTrigger>(initial.trigger);
  const [days, setDays] = useState(String(initial.daysAfterFirstMeeting));
  const [reminder, setReminder] = useState(String(initial.reminderAfterDays));
  const [valid, setValid] = useState(String(initial.linkValidDays));
  const [local, setLocal] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (body: EvaluationSettingsInput) => evaluationsApi.updateEvaluationSettings(hubId, body),
    onSuccess: (s) => qc.setQueryData(['evaluation-settings', hubId], s),
  });
  const fe = { ...fieldErrorsOf(save.error), ...local };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const parse = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
    const values = { daysAfterFirstMeeting: parse(days), reminderAfterDays: parse(reminder), linkValidDays: parse(valid) };
    const errors: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v === null) errors[k] = t('evalSettings.wholeNumber');
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    save.mutate({ trigger, daysAfterFirstMeeting: values.daysAfterFirstMeeting!, reminderAfterDays: values.reminderAfterDays!, linkValidDays: values.linkValidDays! });
  };

  const numberField = (id: string, key: keyof EvaluationSettingsInput, label: string, hint: string, value: string, set: (v: string) => void) => (
    <Field id={id} label={label} hint={hint} error={fe[key]}>
      {(db) => (
        <input
          id={id}
          className="form-input input-width-xs"
          inputMode="numeric"
          autoComplete="off"
          value={value}
          onChange={(e) => set(e.target.value)}
          aria-describedby={db}
          aria-invalid={fe[key] ? true : undefined}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="kp-eval-settings-form">
      {save.isSuccess && <SuccessAlert>{t('evalSettings.saved')}</SuccessAlert>}
      <ErrorAlert error={save.error} />
      <RadioGroup
        name="eval-trigger"
        legend={t('evalSettings.trigger')}
        value={trigger}
        onChange={(v) => setTrigger(v as EvaluationTrigger)}
        options={(['close', 'first_meeting'] as const).map((v) => ({ value: v, label: t(`evalSettings.trigger.${v}`) }))}
        error={fe.trigger}
      />
      {numberField('eval-days', 'daysAfterFirstMeeting', t('evalSettings.daysAfterFirstMeeting'), t('evalSettings.daysAfterFirstMeetingHint'), days, setDays)}
      {numberField('eval-reminder', 'reminderAfterDays', t('evalSettings.reminderAfterDays'), t('evalSettings.reminderAfterDaysHint'), reminder, setReminder)}
      {numberField('eval-valid', 'linkValidDays', t('evalSettings.linkValidDays'), t('evalSettings.linkValidDaysHint'), valid, setValid)}
      <button type="submit" className="button button-primary mt-5" disabled={save.isPending}>
        {save.isPending ? t('evalSettings.saving') : t('evalSettings.save')}
      </button>
    </form>
  );
}
