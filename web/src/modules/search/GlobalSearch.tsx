import { useEffect, useMemo, useRef, useState, type FocusEvent, type FormEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n, type I18n } from '../../shared/i18n.tsx';
import { focusHeading } from '../../shared/components/Feedback.tsx';
import { searchApi, type GlobalSearchResult } from './api.ts';

/** Fewer characters than this find too much to be worth a request. */
const MIN_LENGTH = 2;
const MAX_LENGTH = 100;
const DEBOUNCE_MS = 250;

const INPUT_ID = 'kp-search-input';
const LISTBOX_ID = 'kp-search-listbox';
const HINT_ID = 'kp-search-hint';

/** The text as the server takes it: control characters (a pasted tab) as spaces, no padding, at most 100 characters. */
const clean = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim().slice(0, MAX_LENGTH).trim();

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Whether a key press lands where the user types (then `/` is a character, not the shortcut). */
function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'].includes(target.type);
  return false;
}

/** An open modal dialog (a confirmation, the mobile menu) keeps the keyboard: the shortcut does nothing then. */
function modalOpen(): boolean {
  return [...document.querySelectorAll('dialog[open], [aria-modal="true"]')].some((el) => el.getClientRects().length > 0);
}

interface Option {
  id: string;
  href: string;
  label: string;
  detail: string;
}

interface Group {
  key: 'companies' | 'engagements' | 'prospects';
  heading: string;
  options: Option[];
}

const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

function groupsOf(data: GlobalSearchResult, { t, d, status }: I18n): Group[] {
  return [
    {
      key: 'companies',
      heading: t('globalSearch.companies'),
      options: data.companies.map((c) => ({
        id: `kp-search-company-${c.cvr}`,
        href: `/virksomheder/${c.cvr}`,
        label: c.name ?? t('globalSearch.cvr', { cvr: c.cvr }),
        detail: joined(c.name && t('globalSearch.cvr', { cvr: c.cvr }), c.municipality?.name ?? c.city, c.status && c.status.toUpperCase() !== 'NORMAL' && status(c.status, { since: c.statusSince, ceased: c.ceased })),
      })),
    },
    {
      key: 'engagements',
      heading: t('globalSearch.engagements'),
      options: data.engagements.map((e) => ({
        id: `kp-search-engagement-${e.id}`,
        href: `/forloeb/${e.id}`,
        label: e.company ? (e.company.name ?? t('globalSearch.cvr', { cvr: e.company.cvr })) : (e.prospect?.personName ?? ''),
        detail: joined(
          t(e.status === 'open' ? 'engagementStatus.open' : 'engagementStatus.closed'),
          t('globalSearch.opened', { date: d(e.openedOn) }),
          e.mine ? t('globalSearch.yours') : t('globalSearch.responsible', { name: e.responsible.name }),
        ),
      })),
    },
    {
      key: 'prospects',
      heading: t('globalSearch.prospects'),
      options: data.prospects.map((p) => ({
        id: `kp-search-prospect-${p.id}`,
        // A prospect has no page of its own: the company it founded, else the list of prospects.
        href: p.companyCvr ? `/virksomheder/${p.companyCvr}` : `/ivaerksaettere?id=${encodeURIComponent(p.id)}`,
        label: p.personName,
        detail: joined(p.plannedName, p.municipality?.name, p.companyCvr && t('globalSearch.founded', { cvr: p.companyCvr })),
      })),
    },
  ];
}

/**
 * The search field in the header (the dkfds search component as an ARIA combobox): companies by CVR
 * or name, the organisation's engagements and its prospects as the user types, grouped by kind. `/`
 * anywhere outside a text field goes to it; arrow keys choose a result, Enter opens it, Escape
 * closes the list (and then clears the field); Enter without a chosen result, or the button, opens
 * the company search page for the text.
 */
export function GlobalSearch() {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const typed = clean(text);
  const q = useDebounced(typed, DEBOUNCE_MS);
  const enabled = q.length >= MIN_LENGTH;
  const result = useQuery({
    queryKey: ['search', q],
    queryFn: () => searchApi.search(q),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const data = enabled ? result.data : undefined;
  const groups = useMemo(() => (data ? groupsOf(data, i18n) : []), [data, i18n]);
  const seeAll: Option = { id: 'kp-search-all', href: `/?q=${encodeURIComponent(q)}`, label: t('globalSearch.seeAll', { q }), detail: '' };
  const options = data ? [...groups.flatMap((g) => g.options), seeAll] : [];
  const found = data ? data.companies.length + data.engagements.length + data.prospects.length : 0;

  const popupShown = open && typed.length >= MIN_LENGTH && enabled;
  const expanded = popupShown && options.length > 0;
  const activeIndex = expanded && active < options.length ? active : -1;
  const activeId = activeIndex >= 0 ? options[activeIndex]!.id : undefined;

  // `/` anywhere but in a text field or an open dialog goes to the search field.
  useEffect(() => {
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (typesText(e.target) || modalOpen()) return;
      const input = inputRef.current;
      if (!input || input.getClientRects().length === 0) return;
      e.preventDefault();
      input.focus();
      input.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const reset = () => {
    setOpen(false);
    setActive(-1);
    setText('');
  };

  /** Opens a result; its page's heading then takes focus. */
  const choose = (option: Option) => {
    reset();
    void navigate(option.href, { state: focusHeading });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (options.length === 0 || typed.length < MIN_LENGTH) return;
        e.preventDefault();
        const down = e.key === 'ArrowDown';
        setOpen(true);
        if (activeIndex < 0) setActive(down ? 0 : options.length - 1);
        else setActive(down ? (activeIndex + 1) % options.length : (activeIndex - 1 + options.length) % options.length);
        return;
      }
      case 'Enter':
        if (activeIndex >= 0) {
          e.preventDefault();
          choose(options[activeIndex]!);
        }
        // Otherwise the form is submitted: the company search page for the text.
        return;
      case 'Escape':
        if (popupShown) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          e.preventDefault();
          setText('');
        }
        return;
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!typed) {
      inputRef.current?.focus();
      return;
    }
    reset();
    void navigate(`/?q=${encodeURIComponent(typed)}`, { state: focusHeading });
  };

  const onBlur = (e: FocusEvent<HTMLFormElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
  };

  const onOptionClick = (e: MouseEvent<HTMLAnchorElement>) => {
    // A click opening a new tab or window leaves the search as it is.
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    reset();
  };

  const renderOption = (o: Option) => (
    <Link
      key={o.id}
      id={o.id}
      to={o.href}
      state={focusHeading}
      role="option"
      tabIndex={-1}
      aria-selected={o.id === activeId}
      className={`kp-search-option${o.id === activeId ? ' kp-search-option--active' : ''}${o.id === seeAll.id ? ' kp-search-all' : ''}`}
      onClick={onOptionClick}
      onMouseMove={() => setActive(options.findIndex((x) => x.id === o.id))}
    >
      <span className="kp-search-option-label">{o.label}</span>
      {o.detail && <span className="kp-search-option-detail">{o.detail}</span>}
    </Link>
  );

  const summary = data && !result.isPlaceholderData
    ? found === 0
      ? t('globalSearch.none', { q })
      : t('globalSearch.summary', { companies: data.companies.length, engagements: data.engagements.length, prospects: data.prospects.length })
    : '';

  return (
    <form className="search-form kp-header-search" role="search" onSubmit={onSubmit} onBlur={onBlur} noValidate>
      <div className="form-group search">
        <label htmlFor={INPUT_ID} className="sr-only">
          {t('globalSearch.label')}
        </label>
        <input
          ref={inputRef}
          id={INPUT_ID}
          name="q"
          type="search"
          className="form-input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={LISTBOX_ID}
          aria-activedescendant={activeId}
          aria-describedby={HINT_ID}
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_LENGTH}
          placeholder={t('globalSearch.placeholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-search">
          <svg className="icon-svg m-0" focusable="false" aria-hidden="true" viewBox="0 -960 960 960">
            <path d="M784-120 532-372q-30 24-69 38t-83 14q-109 0-184.5-75.5T120-580q0-109 75.5-184.5T380-840q109 0 184.5 75.5T640-580q0 44-14 83t-38 69l252 252-56 56ZM380-400q75 0 127.5-52.5T560-580q0-75-52.5-127.5T380-760q-75 0-127.5 52.5T200-580q0 75 52.5 127.5T380-400Z" />
          </svg>
          <span className="sr-only">{t('globalSearch.submit')}</span>
        </button>
      </div>
      <p id={HINT_ID} className="sr-only">
        {t('globalSearch.hint')}
      </p>
      <div role="status" className="sr-only">
        {popupShown ? summary : ''}
      </div>
      {/* Mouse down inside keeps focus in the field, so a click on a result is not lost to the field's blur. */}
      <div className="kp-search-popup" hidden={!popupShown} onMouseDown={(e) => e.preventDefault()}>
        <div id={LISTBOX_ID} role="listbox" aria-label={t('globalSearch.results')} hidden={!expanded}>
          {groups.map(
            (g) =>
              g.options.length > 0 && (
                <div key={g.key} role="group" aria-labelledby={`kp-search-heading-${g.key}`} className="kp-search-group">
                  <div role="presentation" id={`kp-search-heading-${g.key}`} className="kp-search-group-heading">
                    {g.heading}
                  </div>
                  {g.options.map(renderOption)}
                </div>
              ),
          )}
          {data && renderOption(seeAll)}
        </div>
        {data && found === 0 && <p className="kp-search-message">{t('globalSearch.none', { q })}</p>}
        {!data && <p className="kp-search-message">{result.isError ? t('globalSearch.error') : t('globalSearch.loading')}</p>}
      </div>
    </form>
  );
}
