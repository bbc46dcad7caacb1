// Lighthouse over several pages in one Node process and one Chromium, for tests/test_lighthouse.py.
//
//   node tests/lighthouse_pages.mjs <chromium> <flags> <categories> <url>=<report base> ...
//
// Each page gets Lighthouse's default mobile preset and simulated throttling, exactly as the
// `lighthouse` command would give it; what one process saves is starting Node, loading
// Lighthouse and launching the browser once per page (about 4 s of the 13 s a page took).
// Lighthouse resets the page's storage and cache before each navigation, so no page warms the
// next. Writes <base>.report.json and <base>.report.html per page, as the command's
// --output-path=<base> does.
import {writeFileSync} from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [chromePath, flags, categories, ...pages] = process.argv.slice(2);
// Two parts of a run that weigh nothing in any score and cost seconds: a picture of the whole
// page, and a probe of the back/forward cache that navigates away and back.
const options = {
  onlyCategories: categories.split(','),
  output: ['json', 'html'],
  logLevel: 'error',
  disableFullPageScreenshot: true,
  skipAudits: ['bf-cache'],
};

const chrome = await chromeLauncher.launch({chromePath, chromeFlags: flags.split(' ')});
try {
  for (const page of pages) {
    const split = page.indexOf('=');
    const [url, base] = [page.slice(0, split), page.slice(split + 1)];
    const result = await lighthouse(url, {...options, port: chrome.port});
    if (!result || result.lhr.runtimeError) {
      throw new Error(`Lighthouse could not audit ${url}: ${result?.lhr.runtimeError?.message}`);
    }
    writeFileSync(`${base}.report.json`, result.report[0]);
    writeFileSync(`${base}.report.html`, result.report[1]);
  }
} finally {
  chrome.kill();
}
