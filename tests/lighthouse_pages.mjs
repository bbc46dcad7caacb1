// Lighthouse over several pages in one Node process and one Chromium, for tests/test_lighthouse.py.
//
//   node tests/lighthouse_pages.mjs <chromium> <flags> <categories> <phone index> <url>=<base> ...
//
// Each page gets Lighthouse's default mobile preset and simulated throttling, with one change:
// the CPU slowdown is calibrated to the host. Lighthouse first loads the page and saves what it
// gathered, its own benchmark index of this host among it; it then audits that load with the
// slowdown that brings the index down to a mid-tier phone's (<phone index>), as its docs advise
// (docs/throttling.md, "Calibrating the CPU slowdown"). A busy host measures slower and is
// slowed less, so the score describes the page, not the moment. What one process saves is
// starting Node, loading Lighthouse and launching the browser once per page.
// Lighthouse resets the page's storage and cache before each navigation, so no page warms the
// next. Writes <base>.report.json and <base>.report.html per page, as the command's
// --output-path=<base> does.
import {readFileSync, writeFileSync} from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [chromePath, flags, categories, phoneIndex, ...pages] = process.argv.slice(2);
// Two parts of a run that weigh nothing in any score and cost seconds: a picture of the whole
// page, and a probe of the back/forward cache that navigates away and back.
const options = {
  onlyCategories: categories.split(','),
  output: ['json', 'html'],
  logLevel: 'error',
  disableFullPageScreenshot: true,
  skipAudits: ['bf-cache'],
};

// The main thread's CPU time over its wall time, in its tasks of 10 ms or more: near 1 on a
// quiet host, lower as other work takes the CPU from it.
function mainThreadShare({traceEvents}) {
  const main = new Set(traceEvents
    .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const tasks = traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.tdur !== undefined
    && e.dur >= 10_000 && main.has(`${e.pid}:${e.tid}`));
  const wall = tasks.reduce((sum, e) => sum + e.dur, 0);
  return wall ? tasks.reduce((sum, e) => sum + e.tdur, 0) / wall : 1;
}

const chrome = await chromeLauncher.launch({chromePath, chromeFlags: flags.split(' ')});
try {
  for (const page of pages) {
    const split = page.indexOf('=');
    const [url, base] = [page.slice(0, split), page.slice(split + 1)];
    const gathered = `${base}-artifacts`;
    await lighthouse(url, {...options, port: chrome.port, gatherMode: gathered});
    // Simulated throttling gathers at full speed and applies the slowdown only as it audits, so
    // the saved settings may take the calibrated one (Lighthouse insists that the two agree).
    const saved = `${gathered}/artifacts.json`;
    const artifacts = JSON.parse(readFileSync(saved, 'utf8'));
    // Below 1 on a host slower than the phone: the simulation then scales its tasks down.
    const cpuSlowdownMultiplier = artifacts.BenchmarkIndex / Number(phoneIndex);
    artifacts.settings.throttling.cpuSlowdownMultiplier = cpuSlowdownMultiplier;
    writeFileSync(saved, JSON.stringify(artifacts));
    const throttling = {cpuSlowdownMultiplier};
    const result = await lighthouse(url, {...options, auditMode: gathered, throttling});
    if (!result || result.lhr.runtimeError) {
      throw new Error(`Lighthouse could not audit ${url}: ${result?.lhr.runtimeError?.message}`);
    }
    writeFileSync(`${base}.report.json`, result.report[0]);
    writeFileSync(`${base}.report.html`, result.report[1]);
    // How much of its tasks' time the page's main thread had the CPU for: a slowdown calibrated
    // at the start of the load cannot follow a burst of other work during it, but the trace
    // shows it, as thread time falling behind wall time.
    const trace = JSON.parse(readFileSync(`${gathered}/defaultPass.trace.json`, 'utf8'));
    writeFileSync(`${base}.host.json`, JSON.stringify({cpuShare: mainThreadShare(trace)}));
  }
} finally {
  chrome.kill();
}
