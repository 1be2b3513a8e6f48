import { createHash } from 'node:crypto';

/*
 * The public pages' pre-rendered shell (vite.config.ts writes it, app.ts serves it) is Danish. A
 * browser where English was chosen would show that Danish markup until the script replaced it, so
 * this inline script in the head (allowed by its hash in the CSP, see security-headers.ts) hides it
 * there before the first paint; web/src/main.tsx then renders the page afresh and removes the class.
 */
export const NO_SHELL_CLASS = 'kp-no-shell';

export const SHELL_GUARD_SCRIPT = `try{if(localStorage.getItem("kp-lang")==="en")document.documentElement.classList.add("${NO_SHELL_CLASS}")}catch(e){}`;

export const SHELL_GUARD_STYLE = `.${NO_SHELL_CLASS} #root{display:none}`;

/** The CSP source that allows exactly the guard script. */
export const SHELL_GUARD_CSP_SOURCE = `'sha256-${createHash('sha256').update(SHELL_GUARD_SCRIPT).digest('base64')}'`;

/** The folder of the build output (dist/web) holding the pre-rendered public pages, one HTML file per route path. */
export const PUBLIC_PAGES_DIR = 'public-pages';
