import { StrictMode, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './shared/api.ts';
import { I18nProvider } from './shared/i18n.tsx';
import { App } from './App.tsx';

/*
 * What the browser (main.tsx) and the build's pre-rendering of the public pages (prerender.tsx)
 * both render, so that the HTML the build writes is the markup the browser hydrates.
 */

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Do not retry client errors (401/403/404/…); retry transient failures once.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 1,
      },
    },
  });
}

// A data router (one splat route holding the app's own <Routes>), so pages can block leaving with unsaved changes.
export const routes: RouteObject[] = [{ path: '*', element: <App /> }];

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <StrictMode>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </I18nProvider>
    </StrictMode>
  );
}
