// The reference's one stylesheet, served from /docs as a file: the CSP allows styles from this origin
// only, not inline. The dashboard's palette (dashboard/src/styles.css), for a page people read.
export const REFERENCE_CSS = `
:root {
  --bg: #f7f7f4;
  --surface: #ffffff;
  --text: #1c1f23;
  --muted: #5b636d;
  --line: #d9dcd6;
  --accent: #0f766e;
  --accent-strong: #0b5a54;
  --radius: 10px;
  color-scheme: light;
  font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.55;
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.25rem 1.25rem 4rem; background: var(--bg); color: var(--text); font-size: 0.95rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.5rem; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 1rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 0.4rem; line-height: 1.4; }
h4 { font-size: 0.8rem; margin: 1.1rem 0 0.4rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
p { margin: 0.3rem 0; }
a { color: var(--accent-strong); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.86em; background: rgba(0, 0, 0, 0.05); padding: 0.05rem 0.3rem; border-radius: 4px; overflow-wrap: anywhere; }
:focus-visible { outline: 3px solid #99f6e4; outline-offset: 2px; }
.muted { color: var(--muted); }
.brand { font-weight: 700; margin: 0; }
.page-head { padding-bottom: 0.5rem; }
.toc { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.25rem 1.25rem 1rem; margin-top: 1rem; }
.toc h2 { border: 0; margin: 0.75rem 0 0.25rem; font-size: 1.1rem; }
.toc h3 { font-size: 0.8rem; margin: 1rem 0 0.3rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.toc ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
.toc li a { text-decoration: none; }
.toc li a .path { text-decoration: underline; text-underline-offset: 2px; }
.toc li .muted { display: block; font-size: 0.85rem; }
.method { display: inline-block; min-width: 3.7rem; padding: 0 0.4rem; border-radius: 6px; font-size: 0.75rem; font-weight: 700; text-align: center; letter-spacing: 0.03em; color: #fff; background: var(--muted); vertical-align: 0.1em; }
.method-get { background: #175cd3; }
.method-post { background: var(--accent); }
.method-put, .method-patch { background: #93370d; }
.method-delete { background: #b42318; }
.path { background: none; padding: 0; font-size: 0.95em; }
.endpoint, .schema { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin: 0 0 1rem; scroll-margin-top: 1rem; }
.summary { font-weight: 600; }
.who { color: var(--muted); font-size: 0.9rem; }
.fields { list-style: none; margin: 0.25rem 0 0; padding: 0; border-top: 1px solid var(--line); }
.fields li { padding: 0.45rem 0; border-bottom: 1px solid var(--line); }
.fields .fields { margin: 0.4rem 0 0 0.9rem; padding-left: 0.75rem; border-left: 2px solid var(--line); border-top: 0; }
.fields .fields li:last-child { border-bottom: 0; }
.field-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.1rem 0.5rem; margin: 0; }
.field-name { font-weight: 700; background: none; padding: 0; }
.field-type { color: var(--muted); font-size: 0.88rem; }
.tag { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.tag-required { color: #93370d; font-weight: 700; }
.body-type { font-size: 0.9rem; }
.responses { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 0.5rem 0.9rem; margin: 0; }
.responses dt { padding-top: 0.3rem; }
.responses dd { margin: 0; min-width: 0; }
.status { display: inline-block; min-width: 2.8rem; padding: 0 0.35rem; border-radius: 6px; font-weight: 700; font-size: 0.85rem; text-align: center; border: 1px solid; }
.status-2xx { background: #ecfdf3; color: #067647; border-color: #abefc6; }
.status-4xx { background: #fffaeb; color: #93370d; border-color: #fedf89; }
.status-5xx { background: #fef3f2; color: #b42318; border-color: #fecdca; }
.schemes dt { font-weight: 700; margin-top: 0.75rem; scroll-margin-top: 1rem; }
.schemes dd { margin: 0.2rem 0 0; }
@media (max-width: 30rem) {
  body { padding: 0.9rem 0.75rem 3rem; }
  .endpoint, .schema { padding: 0.85rem 0.9rem; }
  .fields .fields { margin-left: 0.3rem; padding-left: 0.5rem; }
}
`;
