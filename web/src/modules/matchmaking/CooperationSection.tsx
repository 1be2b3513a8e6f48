/**
 * "Behov og tilbud om samarbejde" on the company page: the company's needs and offers the user may see,
 * and a form for a new one where the server allows it.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { CheckboxList, ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert } from '../../shared/components/Feedback.tsx';
import { RadioGroup } from '../../shared/components/RadioGroup.tsx';
import { Disclosure, isForbiddenOrHidden, ScrollRegion } from '../../shared/components/ui.tsx';
import { CATALOGUE_THEMES } from '../offers/catalogue/options.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import { matchmakingApi, type Cooperation } from './api.ts';

const words = (text: string) => text.split(/[\s,;]+/).map((w) => w.trim()).filter(Boolean);

export function CooperationSection({ cvr }: { cvr: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const items = useQuery({ queryKey: ['cooperation', cvr], queryFn: () => matchmakingApi.ofCompany(cvr) });
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const announce = (text: string) => setNotice((old) => ({ text, n: (old?.n ?? 0) + 1 }));
  const close = useMutation({
    mutationFn: (item: Cooperation) => matchmakingApi.change(item.id, { version: item.version, status: 'closed' }),
    onSuccess: (item) => {
      announce(t('coop.closed', { title: item.title }));
      void qc.invalidateQueries({ queryKey: ['cooperation'] });
    },
  });

  if (items.isPending) return <Loading />;
  if (isForbiddenOrHidden(items.error)) return null;
  return (
    <section aria-labelledby="company-cooperation" className="mt-7 kp-cooperation">
      <h2 id="company-cooperation">{t('coop.title')}</h2>
      <p>{t('coop.intro')}</p>
      {notice && <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert>}
      <ErrorAlert error={items.error ?? close.error} />
      {items.data?.abilities.create && (
        <Disclosure summary={t('coop.create')} className="kp-cooperation-create">
          <CooperationForm
            cvr={cvr}
            onSaved={(item) => {
              announce(t('coop.saved', { title: item.title }));
              void qc.invalidateQueries({ queryKey: ['cooperation'] });
            }}
          />
        </Disclosure>
      )}
      {items.data && items.data.items.length === 0 ? (
        <p className="kp-cooperation-empty">{t('coop.empty')}</p>
      ) : (
        items.data && (
          <ScrollRegion>
            <table className="table table--compact kp-cooperation-list">
              <caption className="sr-only">{t('coop.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('coop.col.kind')}</th>
                  <th scope="col">{t('coop.col.title')}</th>
                  <th scope="col">{t('coop.col.themes')}</th>
                  <th scope="col">{t('coop.col.holder')}</th>
                  <th scope="col">{t('coop.col.status')}</th>
                  <th scope="col">{t('coop.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.data.items.map((item) => (
                  <tr key={item.id}>
                    <td>{t(`coop.kind.${item.kind}`)}</td>
                    <td>
                      {item.title}
                      {item.description && <div className="kp-muted">{item.description}</div>}
                    </td>
                    <td>{item.themes.map((k) => themeLabel(t, k)).join(', ') || t('common.none')}</td>
                    <td>{item.organisation.name}</td>
                    <td>{t(`coop.status.${item.status}`)}</td>
                    <td className="kp-nowrap">
                      {item.status === 'open' && (
                        <Link to={`/matchmaking?item=${item.id}`} className="button button-secondary">
                          {t('coop.suggestions')}
                          <span className="sr-only">: {item.title}</span>
                        </Link>
                      )}
                      {item.abilities.change && item.status === 'open' && (
                        <button type="button" className="button button-tertiary ml-3" disabled={close.isPending} onClick={() => close.mutate(item)}>
                          {t('coop.close')}
                          <span className="sr-only">: {item.title}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )
      )}
    </section>
  );
}

function CooperationForm({ cvr, onSaved }: { cvr: string; onSaved: (item: Cooperation) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'need' | 'offer'>('need');
  const [title, setTitle] = useState('');
  const [themes, setThemes] = useState<string[]>([]);
  const [industry, setIndustry] = useState('');
  const [countries, setCountries] = useState('');
  const [municipalities, setMunicipalities] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () =>
      matchmakingApi.create(cvr, {
        kind,
        title: title.trim(),
        themes: themes as (typeof CATALOGUE_THEMES)[number][],
        industryCodes: words(industry),
        countries: words(countries).map((c) => c.toUpperCase()),
        municipalityCodes: words(municipalities).map(Number),
        description: description.trim(),
      }),
    onSuccess: (item) => {
      setTitle('');
      setThemes([]);
      setIndustry('');
      setCountries('');
      setMunicipalities('');
      setDescription('');
      onSaved(item);
    },
  });
  const fe = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate className="kp-cooperation-form">
      <ErrorAlert error={create.error} />
      <RadioGroup
        name="coop-kind"
        legend={t('coop.kind')}
        value={kind}
        onChange={(v) => setKind(v as 'need' | 'offer')}
        options={[
          { value: 'need', label: t('coop.kind.need') },
          { value: 'offer', label: t('coop.kind.offer') },
        ]}
        error={fe.kind}
      />
      <Field id="coop-title" label={t('coop.titleField')} hint={t('coop.titleHint')} error={fe.title}>
        {(db) => <input id="coop-title" className="form-input" required aria-required="true" value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={db} aria-invalid={fe.title ? true : undefined} />}
      </Field>
      <div className="form-group">
        <fieldset>
          <legend className="form-label">{t('coop.themes')}</legend>
          <CheckboxList idPrefix="coop-themes" className="kp-offer-options" options={CATALOGUE_THEMES} label={(k) => themeLabel(t, k)} chosen={themes} onChange={setThemes} />
        </fieldset>
      </div>
      <Field id="coop-industry" label={t('coop.industryCodes')} hint={t('coop.industryHint')} error={fe.industryCodes}>
        {(db) => <input id="coop-industry" className="form-input" value={industry} onChange={(e) => setIndustry(e.target.value)} aria-describedby={db} aria-invalid={fe.industryCodes ? true : undefined} />}
      </Field>
      <Field id="coop-countries" label={t('coop.countries')} hint={t('coop.countriesHint')} error={fe.countries}>
        {(db) => <input id="coop-countries" className="form-input" value={countries} onChange={(e) => setCountries(e.target.value)} aria-describedby={db} aria-invalid={fe.countries ? true : undefined} />}
      </Field>
      <Field id="coop-municipalities" label={t('coop.municipalities')} hint={t('coop.municipalitiesHint')} error={fe.municipalityCodes}>
        {(db) => <input id="coop-municipalities" className="form-input" value={municipalities} onChange={(e) => setMunicipalities(e.target.value)} aria-describedby={db} aria-invalid={fe.municipalityCodes ? true : undefined} />}
      </Field>
      <Field id="coop-description" label={t('coop.description')} error={fe.description}>
        {(db) => <textarea id="coop-description" className="form-input" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={db} aria-invalid={fe.description ? true : undefined} />}
      </Field>
      <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
        {t('coop.save')}
      </button>
    </form>
  );
}
