import { useEffect, useId, useSyncExternalStore } from 'react';
import { useBlocker } from 'react-router';
import { useI18n } from '../i18n.tsx';

/**
 * Which forms on the page hold unsaved changes. A router allows only one blocker, so forms register
 * here and one <UnsavedChangesGuard /> (in App) blocks leaving for all of them.
 */
const dirtyForms = new Set<string>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const anyDirty = () => dirtyForms.size > 0;

/** Marks this form as holding unsaved changes while `dirty`; pass `false` once saved. */
export function useUnsavedChanges(dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return;
    dirtyForms.add(id);
    notify();
    return () => {
      dirtyForms.delete(id);
      notify();
    };
  }, [dirty, id]);
}

/**
 * Warns before leaving a page with unsaved changes: a link inside the app asks to confirm, and
 * closing or reloading the tab gets the browser's own warning.
 */
export function UnsavedChangesGuard() {
  const { t } = useI18n();
  const dirty = useSyncExternalStore(subscribe, anyDirty, () => false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(t('unsaved.confirmLeave'))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return null;
}
