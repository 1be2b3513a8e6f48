import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { Tabs, ScrollRegion } from '../../shared/components/ui.tsx';
import { DateField, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, toDanishDate, toIsoDate, usePageTitle } from '../../shared/components/Feedback.tsx';
import { contractReportUrl, contractsApi, type Contract, type IntentDeclaration } from './api.ts';
import { byGroup, Downloads, GoalCard, groupLabelKey, ManualGoalEditor, ProblemAlert, StatusReportBadge } from './components.tsx';
import { contractStatusKey } from './ContractsPage.tsx';

type Tab = 'goals' | 'intent' | 'reports';
const TAB_PARAM: Record<Tab, string> = { goals: 'maal', intent: 'hensigtserklaeringer', reports: 'statusrapporter' };

function tabOf(v: string | null): Tab {
  return v === TAB_PARAM.intent ? 'intent' : v === TAB_PARAM.reports ? 'reports' : 'goals';
}

export function useContract(id: string | undefined) {
  return useQuery({ queryKey: ['contract', id], queryFn: () => contractsApi.get(id!), enabled: !!id });
}

/** Hub and KKR names, when both are known. */
export function contractParties(contract: Contract | undefined): { hub: string; kkr: string } | null {
  if (!contract) return null;
  const { hub, kkr } = contract;
  return hub.name && kkr.name ? { hub: hub.name, kkr: kkr.name } : null;
}

export function ContractDashboardPage() {
  const { id } = useParams();
  const { t, d } = useI18n();
  const contract = useContract(id);
  usePageTitle(contract.data?.title ?? t('contracts.title'));
  const parties = contractParties(contract.data);
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('fane'));

  if (contract.isPending) return <Loading />;
  if (contract.isError) {
    return (
      <>
        <h1>{t('contracts.title')}</h1>
        <ErrorAlert error={contract.error} />
        <p>
          <Link to="/kontrakter">{t('contracts.back')}</Link>
        </p>
      </>
    );
  }
  const c = contract.data;
  const statusKey = contractStatusKey(c.status);
  const select = (next: string) => {
    const sp = new URLSearchParams(params);
    if (next === 'goals') sp.delete('fane');
    else sp.set('fane', TAB_PARAM[next as Tab]);
    setParams(sp, { replace: true });
  };

  return (
    <>
      <p className="mb-3">
        <Link to="/kontrakter" className="back-link">
          {t('contracts.back')}
        </Link>
      </p>
      <h1>{c.title}</h1>
      <dl className="kp-dl">
        {parties && (
          <div className="kp-dl-row">
            <dt>{t('contracts.parties')}</dt>
            <dd>
              {parties.kkr} – {parties.hub}
            </dd>
          </div>
        )}
        <div className="kp-dl-row">
          <dt>{t('contracts.col.period')}</dt>
          <dd>
            {d(c.periodStart)}–{d(c.periodEnd)}
          </dd>
        </div>
        <div className="kp-dl-row">
          <dt>{t('contracts.col.status')}</dt>
          <dd>{statusKey ? t(statusKey) : c.status}</dd>
        </div>
      </dl>
      <Tabs
        label={t('contracts.sections')}
        selected={tab}
        onSelect={select}
        tabs={[
          { id: 'goals', label: t('contracts.tab.goals'), content: <GoalsSection contract={c} /> },
          { id: 'intent', label: t('contracts.tab.intent'), content: <IntentSection contract={c} /> },
          { id: 'reports', label: t('contracts.tab.reports'), content: <ReportsSection contract={c} /> },
        ]}
      />
    </>
  );
}

function GoalsSection({ contract }: { contract: Contract }) {
  const { t, d } = useI18n();
  const [params, setParams] = useSearchParams();
  const atParam = params.get('pr');
  const at = atParam && /^\d{4}-\d{2}-\d{2}$/.test(atParam) ? atParam : undefined;
  // Without a date the server picks one (today, or under disclosure control the latest ended month
  // end); the field shows the date it answered for until the user types another.
  const [typed, setAtText] = useState<string | null>(at ? toDanishDate(at) : null);
  const [atError, setAtError] = useState<string | null>(null);
  const report = useQuery({ queryKey: ['contract-report', contract.id, at ?? 'today'], queryFn: () => contractsApi.report(contract.id, at) });
  const atText = typed ?? (report.data ? toDanishDate(report.data.asOf) : '');
  const atServerError = fieldErrorsOf(report.error).at;
  const manage = contract.abilities.manage;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const iso = toIsoDate(atText);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
      setAtError(t('contracts.dateInvalid'));
      return;
    }
    setAtError(null);
    const sp = new URLSearchParams(params);
    sp.set('pr', iso);
    setParams(sp, { replace: true });
  };

  return (
    <>
      <h2 className="sr-only">{t('contracts.tab.goals')}</h2>
      <form onSubmit={onSubmit} noValidate className="kp-contract-toolbar" aria-label={t('contracts.asOfForm')}>
        <DateField id="contract-at" label={t('contracts.asOf')} value={atText} onChange={setAtText} error={atError ?? atServerError} />
        <button type="submit" className="button button-secondary">
          {t('contracts.asOfSubmit')}
        </button>
      </form>
      {report.data?.disclosureControl && <p className="form-hint">{t('disclosure.monthEndHint')}</p>}
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorAlert error={report.error} />
      ) : (
        <>
          <p className="kp-contract-asof">
            <strong>{t('contracts.asOfValue', { date: d(report.data.asOf) })}</strong>
          </p>
          <Downloads url={(f) => contractReportUrl(contract.id, report.data.asOf, f)} label={t('contracts.downloadReport')} />
          {byGroup(report.data.goals).map((section) => (
            <section key={section.group} aria-labelledby={`group-${section.group}`}>
              <h3 id={`group-${section.group}`}>{t(groupLabelKey(section.group))}</h3>
              <ul className="kp-goal-grid">
                {section.goals.map((g) => {
                  const goal = contract.goals.find((x) => x.number === g.number);
                  return (
                    <li key={g.number}>
                      <GoalCard report={g} goal={goal} headingLevel={4}>
                        {manage && goal && <ManualGoalEditor contractId={contract.id} goal={goal} />}
                      </GoalCard>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </>
      )}
    </>
  );
}

function IntentSection({ contract }: { contract: Contract }) {
  const { t, d } = useI18n();
  const manage = contract.abilities.manage;
  const list = useQuery({ queryKey: ['intent-declarations', contract.id], queryFn: () => contractsApi.intentDeclarations(contract.id) });
  const [editing, setEditing] = useState<number | null>(null);

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} />;
  const row = list.data.items.find((r) => r.municipalityCode === editing);
  return (
    <>
      <h2>{t('contracts.intent.heading', { year: list.data.year })}</h2>
      <p>{t('contracts.intent.intro')}</p>
      <ScrollRegion className="kp-contract-table-wrap">
        <table className="table table--zebra kp-intent-table">
          <caption className="sr-only">{t('contracts.intent.heading', { year: list.data.year })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('contracts.intent.municipality')}</th>
              <th scope="col">{t('contracts.intent.signedOn')}</th>
              <th scope="col">{t('contracts.intent.evaluationMeetingOn')}</th>
              <th scope="col">{t('contracts.intent.keyAccountManager')}</th>
              <th scope="col">{t('contracts.intent.notes')}</th>
              {manage && (
                <th scope="col">
                  <span className="sr-only">{t('contracts.intent.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.municipalityCode}>
                <th scope="row">{r.municipality}</th>
                <td>{r.signedOn ? d(r.signedOn) : t('common.none')}</td>
                <td>{r.evaluationMeetingOn ? d(r.evaluationMeetingOn) : t('common.none')}</td>
                <td>{r.keyAccountManager ?? t('common.none')}</td>
                <td className="kp-pre">{r.notes ?? ''}</td>
                {manage && (
                  <td>
                    <button
                      type="button"
                      className="button button-tertiary"
                      aria-expanded={editing === r.municipalityCode}
                      aria-controls="intent-editor"
                      onClick={() => setEditing(editing === r.municipalityCode ? null : r.municipalityCode)}
                    >
                      {t('contracts.intent.edit')}
                      <span className="sr-only"> {r.municipality}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div id="intent-editor">
        {manage && row && <IntentForm key={row.municipalityCode} contractId={contract.id} row={row} onDone={() => setEditing(null)} />}
      </div>
    </>
  );
}

function IntentForm({ contractId, row, onDone }: { contractId: string; row: IntentDeclaration; onDone: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [signedOn, setSignedOn] = useState(toDanishDate(row.signedOn));
  const [meeting, setMeeting] = useState(toDanishDate(row.evaluationMeetingOn));
  const [kam, setKam] = useState(row.keyAccountManager ?? '');
  const [notes, setNotes] = useState(row.notes ?? '');
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      contractsApi.saveIntentDeclaration(contractId, row.municipalityCode, {
        signedOn: signedOn.trim() ? toIsoDate(signedOn) : null,
        evaluationMeetingOn: meeting.trim() ? toIsoDate(meeting) : null,
        keyAccountManager: kam.trim() || null,
        notes: notes.trim() || null,
      }),
    onSuccess: async () => {
      setSaved(true);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['intent-declarations', contractId] }),
        qc.invalidateQueries({ queryKey: ['contract-report', contractId] }),
      ]);
    },
  });
  const fe = fieldErrorsOf(save.error);
  const base = `intent-${row.municipalityCode}`;
  return (
    <form
      className="kp-card mt-5 kp-intent-form"
      noValidate
      aria-labelledby={`${base}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate();
      }}
    >
      <h3 id={`${base}-heading`}>{t('contracts.intent.editHeading', { municipality: row.municipality })}</h3>
      <DateField id={`${base}-signed`} label={t('contracts.intent.signedOn')} value={signedOn} onChange={setSignedOn} error={fe.signedOn} />
      <DateField id={`${base}-meeting`} label={t('contracts.intent.evaluationMeetingOn')} value={meeting} onChange={setMeeting} error={fe.evaluationMeetingOn} />
      <Field id={`${base}-kam`} label={t('contracts.intent.keyAccountManager')} error={fe.keyAccountManager}>
        {(db) => <input id={`${base}-kam`} className="form-input" type="text" value={kam} onChange={(e) => setKam(e.target.value)} aria-describedby={db} />}
      </Field>
      <Field id={`${base}-notes`} label={t('contracts.intent.notes')} error={fe.notes}>
        {(db) => <textarea id={`${base}-notes`} className="form-input" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} aria-describedby={db} />}
      </Field>
      {save.isError && <ProblemAlert error={save.error} fields={false} />}
      {saved && !save.isPending && <SuccessAlert>{t('contracts.intent.saved', { municipality: row.municipality })}</SuccessAlert>}
      <div className="kp-button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? t('contracts.saving') : t('common.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('contracts.close')}
        </button>
      </div>
    </form>
  );
}

function ReportsSection({ contract }: { contract: Contract }) {
  const { t, d, n } = useI18n();
  const reporter = contract.abilities.report;
  const reports = useQuery({ queryKey: ['status-reports', contract.id], queryFn: () => contractsApi.statusReports(contract.id) });

  return (
    <>
      <h2>{t('contracts.tab.reports')}</h2>
      {reports.isPending ? (
        <Loading />
      ) : reports.isError ? (
        <ErrorAlert error={reports.error} />
      ) : reports.data.items.length === 0 ? (
        <p>{t('contracts.reports.empty')}</p>
      ) : (
        <ScrollRegion className="kp-contract-table-wrap">
          <table className="table table--zebra kp-reports-table">
            <caption className="sr-only">{t('contracts.tab.reports')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contracts.reports.asOf')}</th>
                <th scope="col" className="kp-num">{t('contracts.reports.version')}</th>
                <th scope="col">{t('contracts.col.status')}</th>
                <th scope="col">{t('contracts.reports.publishedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.data.items
                .slice()
                .reverse()
                .map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/statusrapporter/${r.id}`}>{t('contracts.reports.link', { date: d(r.asOf), version: r.version })}</Link>
                    </td>
                    <td className="kp-num">{n(r.version)}</td>
                    <td>
                      <StatusReportBadge status={r.status} />
                    </td>
                    <td>{r.publishedAt ? d(r.publishedAt) : t('common.none')}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {reporter && <NewReportForm contractId={contract.id} />}
    </>
  );
}

function NewReportForm({ contractId }: { contractId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [asOf, setAsOf] = useState(toDanishDate(today()));
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (iso: string) => contractsApi.createStatusReport(contractId, { asOf: iso }),
    onSuccess: async (report) => {
      await qc.invalidateQueries({ queryKey: ['status-reports', contractId] });
      qc.setQueryData(['status-report', report.id], report);
      void navigate(`/statusrapporter/${report.id}`);
    },
  });
  const fe = fieldErrorsOf(create.error);
  return (
    <form
      className="mt-7"
      noValidate
      aria-labelledby="new-report-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const iso = toIsoDate(asOf);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
          setLocalError(t('contracts.dateInvalid'));
          return;
        }
        setLocalError(null);
        create.mutate(iso);
      }}
    >
      <h3 id="new-report-heading">{t('contracts.reports.new')}</h3>
      <p>{t('contracts.reports.newIntro')}</p>
      <DateField id="new-report-asof" label={t('contracts.reports.asOf')} value={asOf} onChange={setAsOf} error={localError ?? fe.asOf} required />
      {create.isError && !(create.error instanceof ApiError && create.error.fieldErrors().asOf) && <ProblemAlert error={create.error} />}
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? t('contracts.reports.creating') : t('contracts.reports.create')}
      </button>
    </form>
  );
}
