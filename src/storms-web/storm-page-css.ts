/**
 * The storm pages' own styles, on top of the shared sheet (lib/html-page.ts). A storm lists up to
 * a thousand groups, so a row is a few short-classed paragraphs styled from here, not per element.
 */
export const STORM_CSS = `
h1 .badge{vertical-align:.2em}
dl.when{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 .8rem;margin:.2rem 0 .4rem;font-size:.9rem;color:var(--muted)}
dl.when dd{margin:0;font-variant-numeric:tabular-nums}dl.when b{color:var(--text);font-weight:600}
.totals{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.5rem;margin:0 0 .6rem}
.totals div{background:#1b2029;border-radius:10px;padding:.3rem .7rem}.totals span{display:block;font-size:.8rem;color:var(--muted)}
.totals b{font-size:1.3rem;line-height:1.3;font-variant-numeric:tabular-nums}.totals .f b{color:#ffb4b4}.totals .r b{color:var(--ok)}
.panel .meta .badge{font-size:.85rem}.panel h2{margin:.7rem 0 .2rem}
ol.top{list-style:none;padding:0;margin:0;max-width:30rem;font-size:.92rem;line-height:1.5}ol.top li{display:flex;gap:.8rem;justify-content:space-between}
ol.top span{overflow-wrap:anywhere;min-width:0}ol.top b{font-variant-numeric:tabular-nums}
h2#groups{font-size:1.05rem;margin:1.1rem 0 .2rem}
nav.ctl{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem;margin:.35rem 0}nav.ctl>span{color:var(--muted);font-size:.85rem;min-width:2.4rem}
nav.ctl a{display:inline-flex;align-items:center;min-height:44px;padding:0 .65rem;border:1px solid var(--border);border-radius:999px;text-decoration:none;font-size:.9rem}
nav.ctl a[aria-current]{background:#23304a;border-color:var(--accent);color:var(--text);font-weight:650}
ol.groups{list-style:none;padding:0;margin:.5rem 0}
ol.groups>li{background:var(--panel);border:1px solid var(--border);border-left:4px solid var(--crit);border-radius:10px;padding:.4rem .7rem 0;margin:.4rem 0;overflow-wrap:anywhere}
ol.groups>li.r{border-left-color:var(--ok)}ol.groups>li.r .n{color:#c6ccd6}
ol.groups p{margin:0}.h{display:flex;flex-wrap:wrap;gap:.3rem .4rem;align-items:center}.h small{color:var(--muted)}
.n{font-weight:650;line-height:1.35;margin:.15rem 0 .1rem!important}
.lb{font:12.5px/1.75 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#c6ccd6}
.lb span{background:#1f2530;border-radius:5px;padding:.05rem .35rem;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.lb i{color:var(--muted);font-style:normal}
.t{display:flex;flex-wrap:wrap;align-items:center;gap:0 1rem;font-size:.88rem;color:var(--muted);min-height:2.2rem}
.t b{color:var(--text);font-weight:600}.t .l{display:flex;gap:1rem;margin-left:auto}
.t a{display:inline-flex;align-items:center;min-height:44px;font-size:.92rem}
.sev-error,.sev-high{background:#3d1417;border-color:#7a2a2f;color:#ffb4b4}.sev-medium{background:#3a2a10;border-color:#6e5120;color:#ffd59a}
.sev-low{background:#0f2c3b;border-color:#1f5670;color:#a9e3ff}
@media (max-width:40rem){ol.groups>li{padding:.35rem .6rem 0}}`;
