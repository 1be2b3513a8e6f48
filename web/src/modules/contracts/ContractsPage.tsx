import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { contractsApi, type ContractImport, type ContractTemplate } from './api.ts';
import { ProblemAlert } from './components.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';

export function useContracts() {
  return useQuery({ queryKey: ['contracts'], queryFn: async () => (await contractsApi.list()).items });
}

export function contractStatusKey(status: string): MessageKey | null {
  return status === 'draft' || status === 'active' || status === 'closed' ? (`contracts.status.${status}` as MessageKey) : null;
}

export function ContractsPage() {
  const { t, d, n } = useI18n();
  usePageTitle(t('contracts.title'));
  const session = useSession();
  const contracts = useContracts();

  return (
    <>
      <h1>{t('contracts.title')}</h1>
      <p className="font-lead">{t('contracts.intro')}</p>
      {contracts.isPending ? (
        <Loading />
      ) : contracts.isError ? (
        <ErrorAlert error={contracts.error} />
      ) : contracts.data.length === 0 ? (
        <p>{t('contracts.empty')}</p>
      ) : (
        <ScrollRegion className="kp-contract-table-wrap">
          <table className="table table--zebra kp-contracts-table">
            <caption className="sr-only">{t('contracts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contracts.col.title')}</th>
                <th scope="col">{t('contracts.col.hub')}</th>
                <th scope="col">{t('contracts.col.kkr')}</th>
                <th scope="col">{t('contracts.col.period')}</th>
                <th scope="col" className="kp-num">{t('contracts.col.goals')}</th>
                <th scope="col">{t('contracts.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {contracts.data.map((c) => {
                const statusKey = contractStatusKey(c.status);
                return (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/kontrakter/${c.id}`}>{c.title}</Link>
                    </td>
                    <td>{c.hub.name}</td>
                    <td>{c.kkr.name}</td>
                    <td className="kp-nowrap">
                      {d(c.periodStart)}–{d(c.periodEnd)}
                    </td>
                    <td className="kp-num">{n(c.goals)}</td>
                    <td>{statusKey ? t(statusKey) : c.status}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {session.data?.abilities.create.contract && <ImportSection />}
    </>
  );
}

function ImportSection() {
  const { t } = useI18n();
  return (
    <section className="kp-contract-import" aria-labelledby="contracts-import-heading">
      <h2 id="contracts-import-heading">{t('contracts.import.heading')}</h2>
      <TemplateImport />
      <FileImport />
    </section>
  );
}

function defaultTitle(year: string, template: ContractTemplate | undefined): string {
  if (!template) return '';
  return `Resultatkontrakt ${year} mellem ${template.kkr} og ${template.hub}`;
}

function TemplateImport() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const template = useQuery({ queryKey: ['contract-template'], queryFn: () => contractsApi.template(), staleTime: Infinity });
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [title, setTitle] = useState<string | null>(null);
  const [yearError, setYearError] = useState<string | null>(null);
  const shownTitle = title ?? defaultTitle(year, template.data);

  const importIt = useMutation({
    mutationFn: (body: ContractImport) => contractsApi.import(body),
    onSuccess: async ({ id }) => {
      await qc.invalidateQueries({ queryKey: ['contracts'] });
      void navigate(`/kontrakter/${id}`);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!template.data) return;
    if (!/^\d{4}$/.test(year.trim())) {
      setYearError(t('contracts.import.yearInvalid'));
      return;
    }
    setYearError(null);
    const y = year.trim();
    importIt.mutate({
      ...template.data,
      override: { periodStart: `${y}-01-01`, periodEnd: `${y}-12-31`, title: shownTitle.trim() || undefined },
    });
  };

  const fieldErrors = fieldErrorsOf(importIt.error);
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="contracts-template-heading" className="mb-7">
      <h3 id="contracts-template-heading">{t('contracts.import.template')}</h3>
      {template.isPending ? (
        <Loading />
      ) : template.isError ? (
        <ErrorAlert error={template.error} />
      ) : (
        <>
          <p>{t('contracts.import.templateText', { title: template.data.title })}</p>
          <Field id="contract-import-year" label={t('contracts.import.year')} hint={t('contracts.import.yearHint')} error={yearError ?? fieldErrors['override.periodStart']}>
            {(db) => (
              <input
                id="contract-import-year"
                className="form-input input-width-xs"
                type="text"
                inputMode="numeric"
                maxLength={4}
                value={year}
                onChange={(e) => setYear(e.target.value)}
                aria-describedby={db}
                aria-invalid={yearError ? true : undefined}
              />
            )}
          </Field>
          <Field id="contract-import-title" label={t('contracts.import.title')} error={fieldErrors['override.title']}>
            {(db) => (
              <input
                id="contract-import-title"
                className="form-input input-width-xxl"
                type="text"
                value={shownTitle}
                onChange={(e) => setTitle(e.target.value)}
                aria-describedby={db}
              />
            )}
          </Field>
          {importIt.isError && <ProblemAlert error={importIt.error} heading={t('contracts.import.failed')} />}
          <button type="submit" className="button button-primary" disabled={importIt.isPending}>
            {importIt.isPending ? t('contracts.import.importing') : t('contracts.import.templateSubmit')}
          </button>
        </>
      )}
    </form>
  );
}

function FileImport() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // Whatever the file holds: the server checks it against the import format and names what is wrong.
  const [parsed, setParsed] = useState<ContractImport | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const importIt = useMutation({
    mutationFn: (body: ContractImport) => contractsApi.import(body),
    onSuccess: async ({ id }) => {
      await qc.invalidateQueries({ queryKey: ['contracts'] });
      void navigate(`/kontrakter/${id}`);
    },
  });

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    importIt.reset();
    setParsed(null);
    setFileError(null);
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      const value: unknown = JSON.parse(await file.text());
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      setParsed(value as ContractImport);
    } catch {
      setFileError(t('contracts.import.fileInvalid', { name: file.name }));
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed) {
      setFileError((prev) => prev ?? t('contracts.import.fileMissing'));
      return;
    }
    importIt.mutate(parsed);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="contracts-file-heading">
      <h3 id="contracts-file-heading">{t('contracts.import.file')}</h3>
      <Field id="contract-import-file" label={t('contracts.import.fileLabel')} hint={t('contracts.import.fileHint')} error={fileError ?? undefined}>
        {(db) => (
          <input
            id="contract-import-file"
            className="form-file-input"
            type="file"
            accept="application/json,.json"
            onChange={(e) => void onFile(e)}
            aria-describedby={db}
            aria-invalid={fileError ? true : undefined}
          />
        )}
      </Field>
      {importIt.isError && <ProblemAlert error={importIt.error} heading={t('contracts.import.failed')} />}
      <button type="submit" className="button button-secondary" disabled={importIt.isPending}>
        {importIt.isPending ? t('contracts.import.importing') : t('contracts.import.fileSubmit')}
      </button>
    </form>
  );
}
