// Lighthouse over every page, in one Node process and one browser (make audit, tools/audit.py):
//
//   node tools/lighthouse.mjs <chromium> <flags> <phone index> <url>=<report base> ...
//
// Each page gets Lighthouse's mobile preset and simulated throttling, with its CPU slowdown
// calibrated to the host: Lighthouse loads the page, measures this host's benchmark index, and
// audits that load with the slowdown that brings the index to a mid-tier phone's, as its
// throttling docs advise. Writes <base>.report.json and <base>.report.html per page.
import {readFileSync, writeFileSync} from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [chromePath, flags, phoneIndex, ...pages] = process.argv.slice(2);
const options = {output: ['json', 'html'], logLevel: 'error', disableFullPageScreenshot: true,
                 onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo']};
const chrome = await chromeLauncher.launch({chromePath, chromeFlags: flags.split(' ')});
try {
  for (const page of pages) {
    const [url, base] = page.split('=');
    const gathered = `${base}-artifacts`;
    await lighthouse(url, {...options, port: chrome.port, gatherMode: gathered});
    const saved = `${gathered}/artifacts.json`;
    const artifacts = JSON.parse(readFileSync(saved, 'utf8'));
    const cpuSlowdownMultiplier = artifacts.BenchmarkIndex / Number(phoneIndex);
    artifacts.settings.throttling.cpuSlowdownMultiplier = cpuSlowdownMultiplier;
    writeFileSync(saved, JSON.stringify(artifacts));
    const result = await lighthouse(url, {...options, auditMode: gathered, throttling: {cpuSlowdownMultiplier}});
    writeFileSync(`${base}.report.json`, result.report[0]);
    writeFileSync(`${base}.report.html`, result.report[1]);
  }
} finally {
  chrome.kill();
}
