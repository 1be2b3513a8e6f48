import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FilterList, NewSavedFilter, SavedFilter } from '#server/modules/saved-filters/schemas.ts';
import { ApiError, request, type ItemList } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Field, useAutoFocus } from './Feedback.tsx';

export type { FilterList, SavedFilter };

export const savedFiltersApi = {
  list: (list: FilterList) => request<ItemList<SavedFilter>>('GET', `/me/saved-filters?list=${encodeURIComponent(list)}`),
  create: (body: NewSavedFilter) => request<SavedFilter>('POST', '/me/saved-filters', body),
  remove: (id: string) => request<null>('DELETE', `/me/saved-filters/${encodeURIComponent(id)}`),
};

export const savedFiltersKey = (list: FilterList) => ['me', 'saved-filters', list] as const;

/** Parameters a saved filter never keeps (as the server drops them): the page and the opened item. */
const UNSAVED_PARAMS = ['page', 'side', 'id'];

/** The part of a URL's query a saved filter keeps, written as the server stores it ('' when no filter is chosen). */
export function filterQueryOf(search: string): string {
  const params = new URLSearchParams(search);
  for (const p of UNSAVED_PARAMS) params.delete(p);
  return params.toString();
}

const NAME_MAX = 80;

interface Notice {
  key: number;
  text: string;
  tone: 'success' | 'error';
}

/**
 * The signed-in user's saved filters for a list page: links that apply each one (the same page with
 * its query), "Gem filter" to save the query chosen now under a name, and delete. Put it on the list
 * page near its filters: `<SavedFilters list="leads" />`.
 */
export function SavedFilters({ list }: { list: FilterList }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const location = useLocation();
  const current = filterQueryOf(location.search);
  const filters = useQuery({ queryKey: savedFiltersKey(list), queryFn: () => savedFiltersApi.list(list) });
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useAutoFocus<HTMLParagraphElement>(notice?.key ?? 0);
  // Bumped when the form closes without saving: the "Gem filter" button takes focus again.
  const [cancelled, setCancelled] = useState(0);
  const openButton = useAutoFocus<HTMLButtonElement>(cancelled);
  const headingId = `saved-filters-${list}-heading`;

  const say = (text: string, tone: Notice['tone'] = 'success') => setNotice((n) => ({ key: (n?.key ?? 0) + 1, text, tone }));

  const remove = useMutation({
    mutationFn: (f: SavedFilter) => savedFiltersApi.remove(f.id),
    onSuccess: (_r, f) => {
      qc.setQueryData<ItemList<SavedFilter>>(savedFiltersKey(list), (old) => (old ? { items: old.items.filter((x) => x.id !== f.id) } : old));
      say(t('savedFilters.deleted', { name: f.name }));
    },
    onError: (error, f) => {
      void qc.invalidateQueries({ queryKey: savedFiltersKey(list) });
      say(t('savedFilters.deleteFailed', { name: f.name, detail: error instanceof ApiError ? error.problem.detail || error.message : t('common.errorGeneric') }), 'error');
    },
  });

  const close = () => {
    setOpen(false);
    setCancelled((n) => n + 1);
  };

  const items = filters.data?.items ?? [];
  return (
    <section className="kp-saved-filters" aria-labelledby={headingId}>
      <h2 id={headingId} className="h6 kp-saved-filters-heading">
        {t('savedFilters.heading')}
      </h2>
      {filters.isSuccess && items.length === 0 && <p className="kp-muted kp-saved-filters-none">{t('savedFilters.none')}</p>}
      {items.length > 0 && (
        <ul className="inline-list kp-saved-filter-list">
          {items.map((f) => {
            const chosen = f.query === current;
            return (
              <li key={f.id} className="kp-saved-filter">
                <Link to={{ pathname: location.pathname, search: `?${f.query}` }} className={chosen ? 'kp-saved-filter-link kp-saved-filter-chosen' : 'kp-saved-filter-link'} aria-current={chosen ? 'true' : undefined}>
                  {f.name}
                  {chosen && <span className="sr-only"> {t('savedFilters.current')}</span>}
                </Link>
                <button
                  type="button"
                  className="function-link kp-saved-filter-delete"
                  aria-label={t('savedFilters.deleteLabel', { name: f.name })}
                  disabled={remove.isPending && remove.variables?.id === f.id}
                  onClick={() => remove.mutate(f)}
                >
                  {t('savedFilters.delete')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {notice && (
        <p ref={noticeRef} tabIndex={-1} className={`kp-saved-filters-notice kp-saved-filters-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {open ? (
        <SaveFilterForm
          list={list}
          query={current}
          onCancel={close}
          onSaved={(f) => {
            setOpen(false);
            say(t('savedFilters.saved', { name: f.name }));
          }}
        />
      ) : current ? (
        <button
          ref={openButton}
          type="button"
          className="button button-secondary kp-saved-filters-open"
          onClick={() => {
            setNotice(null);
            setOpen(true);
          }}
        >
          {t('savedFilters.save')}
        </button>
      ) : (
        <p className="kp-muted kp-saved-filters-hint">{t('savedFilters.chooseFirst')}</p>
      )}
    </section>
  );
}

function SaveFilterForm({ list, query, onCancel, onSaved }: { list: FilterList; query: string; onCancel: () => void; onSaved: (f: SavedFilter) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(1);
  // Focused when the form opens, and again after each refused save.
  const inputRef = useAutoFocus<HTMLInputElement>(attempt);
  const id = `saved-filter-name-${list}`;

  const save = useMutation({
    mutationFn: () => savedFiltersApi.create({ list, name: name.trim(), query }),
    onSuccess: (f) => {
      qc.setQueryData<ItemList<SavedFilter>>(savedFiltersKey(list), (old) => ({ items: [...(old?.items ?? []), f].sort((a, b) => a.name.localeCompare(b.name, 'da')) }));
      void qc.invalidateQueries({ queryKey: savedFiltersKey(list) });
      onSaved(f);
    },
    onError: (e) => {
      const fields = e instanceof ApiError ? e.fieldErrors() : {};
      setError(fields.name ?? fields.query ?? (e instanceof ApiError ? e.problem.detail || e.message : t('common.errorGeneric')));
      setAttempt((a) => a + 1);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('savedFilters.nameRequired'));
      setAttempt((a) => a + 1);
      return;
    }
    setError(null);
    save.mutate();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };

  return (
    <form className="kp-saved-filter-form" onSubmit={onSubmit} noValidate aria-label={t('savedFilters.formLabel')}>
      <Field id={id} label={t('savedFilters.name')} hint={t('savedFilters.nameHint')} error={error ?? undefined}>
        {(describedBy) => (
          <input
            ref={inputRef}
            id={id}
            type="text"
            className="form-input input-width-m"
            autoComplete="off"
            maxLength={NAME_MAX}
            required
            aria-required="true"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
          />
        )}
      </Field>
      <div className="kp-button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? t('savedFilters.saving') : t('savedFilters.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
