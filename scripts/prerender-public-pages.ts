import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postcss, { type Container } from 'postcss';
import { createServer, type AliasOptions, type Plugin, type PluginOption } from 'vite';
import { PUBLIC_PAGES_DIR, SHELL_GUARD_SCRIPT, SHELL_GUARD_STYLE } from '../server/http/public-shell.ts';

/*
 * The build's pre-rendering of the public pages (issue 17: first paint on a phone). Each static
 * public route gets its own HTML file with the page's markup before any data (web/src/prerender.tsx)
 * and the CSS that markup uses inlined, so a phone paints from the one HTML response instead of
 * waiting for 140 KB of script and a 300 KB stylesheet. The full stylesheet moves to the end of the
 * body, where it no longer holds up the first paint; the script then hydrates the markup.
 * server/app.ts sends these files for their routes.
 */

/** Class names, ids and element names in a piece of HTML. */
function usedNames(html: string) {
  const classes = new Set<string>();
  const ids = new Set<string>();
  const tags = new Set<string>(['html', 'body']);
  for (const m of html.matchAll(/\sclass="([^"]*)"/g)) for (const c of m[1]!.split(/\s+/)) if (c) classes.add(c);
  for (const m of html.matchAll(/\sid="([^"]*)"/g)) ids.add(m[1]!);
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)) tags.add(m[1]!.toLowerCase());
  return { classes, ids, tags };
}

/**
 * Whether a selector could match something in the first paint of the markup: every class, id and
 * element name it names occurs there. Pseudo-classes (:hover, :not(…)) and attribute tests are ignored, so this
 * keeps more than it must, never less; the full stylesheet follows anyway.
 */
function selectorMayMatch(selector: string, used: ReturnType<typeof usedNames>): boolean {
  // States that need a visitor's action (or history) do not show in the first paint.
  if (/:(hover|focus|focus-visible|focus-within|active|visited)\b/.test(selector)) return false;
  const bare = selector
    .replace(/\[[^\]]*\]/g, '')
    .replace(/::?[a-zA-Z-]+(\((?:[^()]|\([^()]*\))*\))?/g, '');
  for (const m of bare.matchAll(/\.((?:\\.|[\w-])+)/g)) if (!used.classes.has(m[1]!.replace(/\\(.)/g, '$1'))) return false;
  for (const m of bare.matchAll(/#((?:\\.|[\w-])+)/g)) if (!used.ids.has(m[1]!)) return false;
  for (const m of bare.matchAll(/(?:^|[\s>+~(,])([a-zA-Z][a-zA-Z0-9]*)/g)) if (!used.tags.has(m[1]!.toLowerCase())) return false;
  return true;
}

/** The rules of `css` that the markup `html` may use, with @font-face kept (text paints in the right font). */
export function criticalCss(css: string, html: string): string {
  const used = usedNames(html);
  const root = postcss.parse(css);
  const prune = (container: Container) => {
    container.each((node) => {
      if (node.type === 'rule') {
        const keep = node.selectors.filter((s) => selectorMayMatch(s, used));
        if (keep.length === 0) node.remove();
        else node.selectors = keep;
      } else if (node.type === 'atrule') {
        if (/^(media|supports|layer|container)$/i.test(node.name) && node.nodes) {
          prune(node);
          if (node.nodes.length === 0) node.remove();
        } else if (/keyframes$/i.test(node.name)) {
          // Only the loading spinner animates before the data arrives.
          if (!html.includes('spinner')) node.remove();
        }
      } else if (node.type === 'comment') {
        node.remove();
      }
    });
  };
  prune(root);
  return root.toString();
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function prerenderPublicPages(options: { root: string; alias: AliasOptions; plugins: PluginOption[] }): Plugin {
  return {
    name: 'knudepunkt:prerender-public-pages',
    apply: 'build',
    async writeBundle(output) {
      const outDir = output.dir!;
      const indexHtml = readFileSync(path.join(outDir, 'index.html'), 'utf8');
      const cssLinks = [...indexHtml.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g)];
      const css = cssLinks.map((m) => readFileSync(path.join(outDir, m[1]!), 'utf8')).join('\n');
      const server = await createServer({
        configFile: false,
        root: options.root,
        plugins: options.plugins,
        resolve: { alias: options.alias },
        appType: 'custom',
        logLevel: 'error',
        server: { middlewareMode: true, hmr: false, watch: null, ws: false },
        optimizeDeps: { noDiscovery: true, include: [] },
      });
      try {
        const { PUBLIC_PAGES, renderPublicPage } = (await server.ssrLoadModule('/src/prerender.tsx')) as typeof import('../web/src/prerender.tsx');
        for (const page of PUBLIC_PAGES) {
          const { html, title } = renderPublicPage(page.path);
          let doc = indexHtml.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`);
          for (const m of cssLinks) doc = doc.replace(m[0], '');
          doc = doc
            .replace('</head>', `<script>${SHELL_GUARD_SCRIPT}</script><style>${SHELL_GUARD_STYLE}${criticalCss(css, html)}</style></head>`)
            .replace('<div id="root"></div>', `<div id="root">${html}</div>`)
            .replace('</body>', `${cssLinks.map((m) => m[0]).join('')}</body>`);
          if (!doc.includes(html)) throw new Error(`index.html has no empty <div id="root"></div> for ${page.path}`);
          const file = path.join(outDir, PUBLIC_PAGES_DIR, `${page.path.slice(1)}.html`);
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, doc);
        }
      } finally {
        await server.close();
      }
    },
  };
}
