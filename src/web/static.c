/* static.c - the style sheet, served from the binary. Colours meet WCAG
 * 2.1 AA contrast (text at least 4.5:1); focus is always visible; the
 * layout works from phone width up without script. */
#include "web/web.h"

static const char css[] =
    ":root{--ink:#1a1a1a;--muted:#4a4a4a;--paper:#fff;--brand:#00406b;--link:#0b4f8a;"
    "--err:#a4000f;--ok:#1e6b2a;--line:#8a8a8a;--focus:#ffbf47}\n"
    "*{box-sizing:border-box}\n"
    "html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "font-size:100%;line-height:1.5;color:var(--ink);background:var(--paper)}\n"
    "body{margin:0}\n"
    "a{color:var(--link)}\n"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus,main:focus{"
    "outline:3px solid var(--ink);outline-offset:2px;box-shadow:0 0 0 6px var(--focus)}\n"
    ".skip{position:absolute;left:-9999px;top:0;background:var(--focus);color:var(--ink);"
    "padding:.5rem 1rem;z-index:10}\n"
    ".skip:focus{left:0}\n"
    "header.top{background:var(--brand);color:#fff;padding:.5rem 1rem;display:flex;"
    "flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}\n"
    "header.top a{color:#fff}\n"
    ".brand{font-weight:700;font-size:1.25rem;margin:0}\n"
    ".brand span{font-weight:400;font-size:1rem;margin-left:.5rem}\n"
    "nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}\n"
    "nav a[aria-current]{font-weight:700;text-decoration-thickness:3px}\n"
    ".who{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}\n"
    ".who form{margin:0}\n"
    ".lang{margin:0 0 0 auto}\n"
    "main{max-width:72rem;margin:0 auto;padding:1rem}\n"
    "footer{border-top:1px solid var(--line);padding:1rem;color:var(--muted)}\n"
    "h1{font-size:1.75rem;margin:.5rem 0 1rem;overflow-wrap:anywhere;hyphens:auto}\n"
    "p,li,dd,td,th{overflow-wrap:anywhere}\n"
    ".form label{display:block;font-weight:600}\n"
    ".form input,.form select{font:inherit;padding:.4rem;border:2px solid var(--ink);"
    "border-radius:2px;max-width:100%;width:24rem}\n"
    "input[aria-invalid=true]{border-color:var(--err)}\n"
    ".hint{display:block;color:var(--muted)}\n"
    "fieldset{border:1px solid var(--line);padding:.5rem 1rem}\n"
    ".form input[type=radio]{width:auto}\n"
    "button{font:inherit;padding:.4rem 1rem;background:var(--brand);color:#fff;"
    "border:2px solid var(--brand);border-radius:2px;cursor:pointer}\n"
    "header.top button{background:#fff;color:var(--brand);border-color:#fff}\n"
    ".error{color:var(--err);font-weight:600;border-left:4px solid var(--err);"
    "padding-left:.5rem}\n"
    ".ok{color:var(--ok);font-weight:600}\n"
    ".cards{list-style:none;padding:0;display:grid;"
    "grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}\n"
    ".card{border:1px solid var(--line);padding:1rem}\n"
    ".card h2{font-size:1.2rem;margin-top:0}\n"
    "table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}\n"
    "caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;"
    "vertical-align:top}\n"
    "td code{font-size:.8rem;word-break:break-all}\n"
    ".table-wrap{overflow-x:auto;max-width:100%}\n"
    ".table-wrap table{display:table}\n"
    "th.num,td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink)}\n"
    ".facts{display:grid;grid-template-columns:minmax(10rem,max-content) 1fr;"
    "gap:.25rem 1rem;margin:0 0 1rem}\n"
    ".facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}\n"
    "@media (max-width:30rem){.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.5rem}}\n"
    ".downloads a{margin-right:1rem}\n"
    "@media (prefers-reduced-motion:reduce){*{transition:none!important}}\n";

void static_css(struct web_req *r)
{
    r->ctype = "text/css; charset=utf-8";
    r->has_data = 1;
    buf_append(&r->data, css, sizeof(css) - 1);
    web_add_header(r, "Cache-Control", "public, max-age=3600");
}
