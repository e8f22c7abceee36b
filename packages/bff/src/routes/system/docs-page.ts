/**
 * A self-contained API reference page: it fetches /api/v1/openapi.json and lists every operation
 * with its schemas. No CDN assets, so it works on a closed network.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Member Center API</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:24px;color:#1f2733}
h1{margin-top:0}details{border:1px solid #dde2ea;border-radius:8px;margin:8px 0;padding:8px 12px}
summary{cursor:pointer}code,pre{font:12px/1.4 ui-monospace,monospace}pre{background:#f5f7fa;padding:8px;overflow:auto;border-radius:6px}
.m{display:inline-block;min-width:56px;font-weight:600;text-transform:uppercase}.get{color:#2f7d32}.post{color:#1e63c4}.patch{color:#a56100}.delete{color:#b3261e}.put{color:#6a3fb5}
.tag{color:#68707d;font-size:12px;margin-left:8px}
</style></head><body>
<h1>Member Center API</h1>
<p>Generated from the schemas that validate requests. Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<div id="ops">Loading…</div>
<script>
fetch('/api/v1/openapi.json').then(function(r){return r.json()}).then(function(doc){
  var root=document.getElementById('ops');root.textContent='';
  Object.keys(doc.paths).forEach(function(p){
    Object.keys(doc.paths[p]).forEach(function(m){
      var op=doc.paths[p][m];var d=document.createElement('details');var s=document.createElement('summary');
      var mm=document.createElement('span');mm.className='m '+m;mm.textContent=m;s.appendChild(mm);
      var c=document.createElement('code');c.textContent=p;s.appendChild(c);
      var t=document.createElement('span');t.className='tag';t.textContent=(op.tags||[]).join(', ')+' — '+op.summary;s.appendChild(t);
      d.appendChild(s);var pre=document.createElement('pre');
      pre.textContent=JSON.stringify({security:op.security,parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2);
      d.appendChild(pre);root.appendChild(d);
    });
  });
});
</script></body></html>`;
}
