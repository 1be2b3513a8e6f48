/** Generic pieces of the app's pages (description lists, tabs, disclosures) and the answers they share. */
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError } from '../api.ts';

/** A row in a `kp-dl` description list. */
export function DlRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kp-dl-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

export function isForbiddenOrHidden(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

export interface TabDef {
  id: string;
  label: string;
  content: ReactNode;
}

/**
 * dkfds tabs (tab-container / tab-list / tab-button / tab-panel) with the WAI-ARIA tabs pattern:
 * arrow keys, Home and End move between tabs; only the selected tab is in the tab order.
 */
export function Tabs({ label, tabs, selected, onSelect }: { label: string; tabs: TabDef[]; selected: string; onSelect: (id: string) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const current = tabs.some((t) => t.id === selected) ? selected : (tabs[0]?.id ?? '');

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = tabs[next]!;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };

  return (
    <div className="tab-container kp-tabs">
      <div className="tab-list" role="tablist" aria-label={label}>
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            className="tab-button"
            id={`tab-${tab.id}`}
            aria-controls={`panel-${tab.id}`}
            aria-selected={tab.id === current}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            <span>{tab.label}</span>
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          className="tab-panel"
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          tabIndex={0}
          hidden={tab.id !== current}
        >
          {tab.id === current && tab.content}
        </div>
      ))}
    </div>
  );
}

/** A dkfds "details" disclosure (native <details>), used to fold away forms. */
export function Disclosure({ summary, children, className }: { summary: string; children: ReactNode; className?: string }) {
  return (
    <details className={`details${className ? ` ${className}` : ''}`}>
      <summary className="details-summary">
        <span className="details-summary-text">{summary}</span>
      </summary>
      <div className="details-text">{children}</div>
    </details>
  );
}

/** A company's name, or its CVR number while the register data has not arrived. */
export function companyName(c: { cvr: string; name: string | null }): string {
  return c.name || `CVR ${c.cvr}`;
}

/**
 * The box a wide table scrolls in on a narrow screen. While it scrolls it is a named, focusable
 * region, so a keyboard user can scroll it with the arrow keys (WCAG 2.1.1); while it does not, it
 * adds no tab stop. The name is the table's caption unless `label` is given.
 */
export function ScrollRegion({ label, className = 'table--responsive-scroll', children }: { label?: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [name, setName] = useState<string | null>(null);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const check = () => {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      setName(scrolls ? (label ?? box.querySelector('caption')?.textContent ?? '') : null);
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, [label]);
  return (
    <div ref={ref} className={className} {...(name !== null ? { tabIndex: 0, role: 'region', 'aria-label': name || undefined } : {})}>
      {children}
    </div>
  );
}
