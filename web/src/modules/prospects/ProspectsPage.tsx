import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../../shared/i18n.tsx';
import { useMunicipalities } from '../organisations/hooks.ts';
import { ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert, InfoAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { prospectsApi, type Prospect } from './api.ts';
import { ScrollRegion } from '../../shared/components/ui.tsx';

export function ProspectsPage() {
  const { t } = useI18n();
  usePageTitle(t('prospects.title'));
  const session = useSession();
  const canCreate = !!session.data?.abilities.create.prospect;
  const prospects = useQuery({ queryKey: ['prospects'], queryFn: () => prospectsApi.list() });

  return (
    <>
      <h1>{t('prospects.title')}</h1>
      <p className="font-lead">{t('prospects.intro')}</p>
      {canCreate ? <CreateProspect /> : <InfoAlert>{t('prospects.readOnly')}</InfoAlert>}
      <section aria-labelledby="prospects-list" className="mt-7">
        <h2 id="prospects-list">{t('prospects.list')}</h2>
        {prospects.isPending && <Loading />}
        <ErrorAlert error={prospects.error} />
        {prospects.data &&
          (prospects.data.items.length === 0 ? (
            <p>{t('prospects.empty')}</p>
          ) : (
            <ProspectTable items={prospects.data.items} />
          ))}
      </section>
    </>
  );
}

function CreateProspect() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const municipalities = useMunicipalities();
  const [personName, setPersonName] = useState('');
  const [plannedName, setPlannedName] = useState('');
  const [municipalityCode, setMunicipalityCode] = useState('');
  const [description, setDescription] = useState('');

  const create = useMutation({
    mutationFn: () =>
      prospectsApi.create({
        personName: personName.trim(),
        plannedName: plannedName.trim() || undefined,
        municipalityCode: municipalityCode ? Number(municipalityCode) : undefined,
        description: description.trim() || undefined,
      }),
    onSuccess: () => {
      setPersonName('');
      setPlannedName('');
      setMunicipalityCode('');
      setDescription('');
      void qc.invalidateQueries({ queryKey: ['prospects'] });
    },
  });
  const fe = fieldErrorsOf(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section aria-labelledby="prospects-create" className="mt-5">
      <h2 id="prospects-create">{t('prospects.create')}</h2>
      {create.isSuccess && <SuccessAlert>{t('prospects.created')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <Field id="prospect-person" label={t('prospects.personName')} error={fe.personName}>
          {(describedBy) => (
            <input
              id="prospect-person"
              className="form-input"
              required
              aria-required="true"
              autoComplete="off"
              value={personName}
              onChange={(e) => setPersonName(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.personName ? true : undefined}
            />
          )}
        </Field>
        <Field id="prospect-planned" label={`${t('prospects.plannedName')} (${t('common.optional')})`} error={fe.plannedName}>
          {(describedBy) => (
            <input
              id="prospect-planned"
              className="form-input"
              autoComplete="off"
              value={plannedName}
              onChange={(e) => setPlannedName(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.plannedName ? true : undefined}
            />
          )}
        </Field>
        <Field id="prospect-municipality" label={`${t('prospects.municipality')} (${t('common.optional')})`} error={fe.municipalityCode}>
          {(describedBy) => (
            <select
              id="prospect-municipality"
              className="form-select"
              value={municipalityCode}
              onChange={(e) => setMunicipalityCode(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.municipalityCode ? true : undefined}
            >
              <option value="">{t('prospects.municipalityNone')}</option>
              {(municipalities.data ?? []).map((m) => (
                <option key={m.code} value={String(m.code)}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="prospect-description" label={`${t('prospects.description')} (${t('common.optional')})`} error={fe.description}>
          {(describedBy) => (
            <textarea
              id="prospect-description"
              className="form-input"
              rows={4}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.description ? true : undefined}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('prospects.submit')}
        </button>
      </form>
    </section>
  );
}

function ProspectTable({ items }: { items: Prospect[] }) {
  const { t, d } = useI18n();
  const none = t('common.none');
  // The global search links a prospect here as ?id=…: that row is marked and receives focus, so a
  // keyboard or screen-reader user lands on what they chose rather than at the top of the list.
  const [params] = useSearchParams();
  const chosenId = params.get('id');
  const chosenCell = useRef<HTMLTableCellElement>(null);
  const chosenShown = items.some((p) => p.id === chosenId);
  useEffect(() => {
    if (!chosenShown) return;
    chosenCell.current?.scrollIntoView({ block: 'center' });
    chosenCell.current?.focus();
  }, [chosenId, chosenShown]);
  return (
    <ScrollRegion>
      <table className="table table--zebra kp-prospects">
        <caption className="sr-only">{t('prospects.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('prospects.personName')}</th>
            <th scope="col">{t('prospects.plannedName')}</th>
            <th scope="col">{t('prospects.municipality')}</th>
            <th scope="col">{t('prospects.description')}</th>
            <th scope="col">{t('prospects.createdAt')}</th>
            <th scope="col">{t('prospects.company')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id} className={p.id === chosenId ? 'kp-row-chosen' : undefined} aria-current={p.id === chosenId ? 'true' : undefined}>
              {p.id === chosenId ? (
                <td ref={chosenCell} tabIndex={-1}>
                  {p.personName}
                </td>
              ) : (
                <td>{p.personName}</td>
              )}
              <td>{p.plannedName || none}</td>
              <td>{p.municipality?.name ?? none}</td>
              <td>{p.description || none}</td>
              <td>{d(p.createdAt)}</td>
              <td>
                {p.companyCvr ? (
                  <Link to={`/virksomheder/${p.companyCvr}`}>CVR {p.companyCvr}</Link>
                ) : p.abilities.link ? (
                  <LinkForm prospect={p} />
                ) : (
                  none
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function LinkForm({ prospect }: { prospect: Prospect }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [cvr, setCvr] = useState('');
  const link = useMutation({
    mutationFn: () => prospectsApi.link(prospect.id, cvr.replace(/\s+/g, '')),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['prospects'] }),
  });
  const fe = fieldErrorsOf(link.error);
  const id = `link-cvr-${prospect.id}`;
  const errorText = fe.cvr ?? (link.error ? link.error.message : undefined);
  const errorId = errorText ? `${id}-error` : undefined;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    link.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="kp-link-form" noValidate>
      <label className="sr-only" htmlFor={id}>
        {t('prospects.linkLabel', { name: prospect.personName })}
      </label>
      <input
        id={id}
        className="form-input input-width-xs kp-link-input"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        placeholder="CVR"
        value={cvr}
        onChange={(e) => setCvr(e.target.value)}
        aria-describedby={errorId}
        aria-invalid={errorText ? true : undefined}
      />
      <button type="submit" className="button button-secondary kp-link-button" disabled={link.isPending || !cvr.trim()}>
        {t('prospects.link')}
      </button>
      {errorText && (
        <span className="form-error-message kp-link-error" id={errorId} role="alert">
          {errorText}
        </span>
      )}
    </form>
  );
}
