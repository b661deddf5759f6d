/** The storefront's stylesheet: system fonts, one column on phones, a grid from 40rem. */
export const SITE_CSS = `
:root{--ink:#1d2430;--muted:#4f5b6b;--line:#d5dbe3;--bg:#f6f7f9;--card:#fff;--brand:#0b5cad;--brand-ink:#fff;
--ok:#0f6b3a;--warn:#8a4b00;--bad:#a11a1a;--radius:10px;color-scheme:light}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
body{margin:0;min-height:100vh;display:flex;flex-direction:column}
a{color:var(--brand)}
p a,li a{text-decoration:underline}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:10}
header.site{background:#10233d;color:#fff}
header.site .bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
header.site a{color:#fff;text-decoration:none}
header.site a:hover{text-decoration:underline}
.logo{font-weight:700;font-size:1.25rem;letter-spacing:.02em;margin-right:auto}
header.site nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header.site form{margin:0}
.linklike{background:none;border:0;color:inherit;font:inherit;padding:0;cursor:pointer;text-decoration:underline}
main{flex:1;width:100%;max-width:72rem;margin:0 auto;padding:1rem}
footer.site{color:var(--muted);font-size:.875rem;text-align:center;padding:1.5rem 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .75rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem;margin-bottom:1rem}
.filters label,.field label{display:block;font-size:.875rem;font-weight:600;margin-bottom:.2rem}
.filters .grow{flex:1 1 12rem}
input,select,textarea{font:inherit;color:inherit;border:1px solid #8792a2;border-radius:6px;padding:.45rem .6rem;background:#fff;width:100%}
textarea{min-height:6rem}
button,.button{font:inherit;font-weight:600;border:0;border-radius:6px;padding:.55rem 1rem;background:var(--brand);color:var(--brand-ink);cursor:pointer;text-decoration:none;display:inline-block;text-align:center}
button.secondary,.button.secondary{background:#e3e8ef;color:var(--ink)}
button.danger{background:var(--bad)}
button:disabled{opacity:.6;cursor:not-allowed}
.grid{list-style:none;margin:0;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr))}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem;display:flex;flex-direction:column;gap:.35rem}
.card h2{font-size:1.05rem;margin:.25rem 0 0}
.card a{text-decoration:none}
.card a:hover,.card p a{text-decoration:underline}
.thumb{aspect-ratio:16/9;border-radius:8px;background:linear-gradient(135deg,#dbe6f3,#c2d3e8);display:flex;align-items:center;justify-content:center;font-size:2.5rem;font-weight:700;color:#3a5578}
.price{font-weight:700;font-size:1.05rem}
.stock{font-size:.875rem;font-weight:600}
.stock.in-stock{color:var(--ok)}.stock.few-left{color:var(--warn)}.stock.sold-out{color:var(--bad)}.stock.unknown{color:var(--muted)}
.muted{color:var(--muted)}
.pager{display:flex;gap:1rem;align-items:center;justify-content:center;margin:1.5rem 0}
.product{display:grid;gap:1.5rem}
@media (min-width:40rem){.product{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.buy{display:flex;gap:.75rem;align-items:flex-end;flex-wrap:wrap}
.buy .field{width:6rem}
.alert{border-radius:var(--radius);padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.alert.error{background:#fdecec;border-color:#e4a1a1;color:#6e0f0f}
.alert.info{background:#e8f1fb;border-color:#a9c6e8;color:#0d3763}
.alert.ok{background:#e8f6ee;border-color:#9fd1b3;color:#0b4a28}
.alert ul{margin:.25rem 0 0;padding-left:1.25rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:var(--radius)}
th,td{text-align:left;padding:.55rem .6rem;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-size:.875rem;color:var(--muted)}
td.num,th.num{text-align:right}
.table-wrap{overflow-x:auto}
.inline{display:flex;gap:.4rem;align-items:center;margin:0}
.inline input{width:5rem}
.form{max-width:28rem;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem;display:grid;gap:.8rem}
.form.wide{max-width:40rem}
.row{display:grid;gap:.8rem;grid-template-columns:1fr 1fr}
.totals{font-size:1.15rem;font-weight:700;text-align:right;margin:1rem 0}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;justify-content:flex-end}
.status{font-weight:700}
.status.CONFIRMED{color:var(--ok)}.status.FAILED,.status.REJECTED{color:var(--bad)}.status.PENDING{color:var(--warn)}
.notes{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.hint{font-size:.875rem;color:var(--muted)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
