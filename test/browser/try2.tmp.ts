import { startDemoServer } from '/work/main/test/browser/server.ts';
import { launchBrowser } from '/work/main/test/browser/browser.ts';
import { createRequire } from 'node:module';
import fs from 'node:fs';
const require = createRequire('/work/main/test/browser/x.ts');
const src = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const s = await startDemoServer();
console.log(s.baseUrl, s.reviewId);
const b = await launchBrowser();
for (const js of [true, false]) {
const ctx = await b.newContext({ javaScriptEnabled: js });
const p = await ctx.newPage();
p.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 200)));
p.on('pageerror', (e) => console.log('pageerror', e.message));
await p.goto(s.baseUrl + '/reviews/' + s.reviewId);
try { await p.addScriptTag({ content: src }); } catch (e) { console.log('add err', (e as Error).message.slice(0, 200)); }
console.log('axe after add', await p.evaluate(() => typeof (window as any).axe));
if (await p.evaluate(() => typeof (window as any).axe) === 'undefined') await p.evaluate(src);
console.log('axe after eval', await p.evaluate(() => typeof (window as any).axe));
const r = await p.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice'] } }).then((r: any) => r.violations.map((v: any) => [v.id, v.impact, v.help, v.nodes.length, v.nodes.slice(0,3).map((n: any) => n.target.join(' '))])));
console.log(JSON.stringify(r, null, 1));
await ctx.close();
}
await b.close(); await s.close();
