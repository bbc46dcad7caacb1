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
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
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

// CPU time the machine spent on work other than this process and the browser it drives, in
// clock ticks (Linux's /proc): a slowdown calibrated at the start of a load cannot follow a
// burst of other work during it, but this measures that work.
function otherWorkTicks(browserPid) {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + steal - ticksOfTree([process.pid, browserPid]);
}

// The CPU ticks of these processes and all their descendants.
function ticksOfTree(roots) {
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return {pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12])};
    } catch {
      return null;  // it ended while we looked
    }
  }).filter(Boolean);
  const ours = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) grew = ours.add(p.pid) && true;
    }
  }
  return processes.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0);
}

const chrome = await chromeLauncher.launch({chromePath, chromeFlags: flags.split(' ')});
try {
  for (const page of pages) {
    const split = page.indexOf('=');
    const [url, base] = [page.slice(0, split), page.slice(split + 1)];
    const gathered = `${base}-artifacts`;
    const [startedAt, otherBefore] = [Date.now(), otherWorkTicks(chrome.pid)];
    await lighthouse(url, {...options, port: chrome.port, gatherMode: gathered});
    // Other work during the load, in cores kept busy on average (100 ticks a second).
    const otherCores = (otherWorkTicks(chrome.pid) - otherBefore) / ((Date.now() - startedAt) / 10);
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
    writeFileSync(`${base}.host.json`, JSON.stringify({otherCores}));
  }
} finally {
  chrome.kill();
}
