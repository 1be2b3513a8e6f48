import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { useI18n } from '../i18n.tsx';

/**
 * Warns before leaving a page with unsaved changes: a link inside the app asks to confirm, and
 * closing or reloading the tab gets the browser's own warning. Pass `false` once saved.
 */
export function useUnsavedChanges(dirty: boolean): void {
  const { t } = useI18n();
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
}
