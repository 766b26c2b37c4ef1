// Runs the browser scenarios against a gateway this script starts; prints 'N passed, N failed'.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startGateway } from "./gateway.mjs";
import { scenarios } from "./scenarios.mjs";
import { sdkTests } from "./sdk-tests.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const screenshots = join(root, "artifacts", "screenshots");
mkdirSync(screenshots, { recursive: true });
const TEST_TIMEOUT_MS = 90_000;

async function withTimeout(promise) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
    })]);
  } finally {
    clearTimeout(timer);
  }
}

let passed = 0;
let failed = 0;
function report(name, error, ms) {
  if (error) {
    failed++;
    console.log(`FAIL ${name} (${ms} ms)\n  ${String(error?.stack ?? error).split("\n").join("\n  ")}`);
  } else {
    passed++;
    console.log(`PASS ${name} (${ms} ms)`);
  }
}

// The committed bundle is what `dotnet run` serves: it must be what the source and lockfile build.
{
  const started = Date.now();
  const check = spawnSync(process.execPath, ["build.mjs", "--check"], { cwd: join(root, "src", "Personalize.Sdk"), encoding: "utf8" });
  process.stdout.write(check.stdout);
  report("sdk bundle is up to date with its source", check.status === 0 ? null : new Error(check.stderr || check.stdout), Date.now() - started);
}

let gateway;
let browser;
try {
  gateway = await startGateway(root);
  for (const test of sdkTests) {
    const started = Date.now();
    let error = null;
    try {
      await withTimeout(test.run({ gateway }));
    } catch (e) {
      error = e;
    }
    report(test.name, error, Date.now() - started);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // Debian's Chromium as root in a container; the machine's network is closed, so no background calls.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  for (const scenario of scenarios) {
    const started = Date.now();
    const contexts = [];
    const newPage = async () => {
      const context = await browser.newContext({ baseURL: gateway.baseUrl, viewport: { width: 1280, height: 860 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on("pageerror", (error) => console.log(`  [page error] ${error.message}`));
      return page;
    };
    let error = null;
    try {
      await withTimeout(scenario.run({ newPage, gateway, screenshots }));
    } catch (e) {
      error = e;
      for (const [i, context] of contexts.entries()) {
        for (const page of context.pages()) {
          await page.screenshot({ path: join(screenshots, `failed-${scenario.slug}-${i}.png`) }).catch(() => {});
        }
      }
    } finally {
      for (const context of contexts) await context.close().catch(() => {});
    }
    report(scenario.name, error, Date.now() - started);
  }
} catch (error) {
  report("start gateway and browser", error, 0);
} finally {
  await browser?.close().catch(() => {});
  if (failed > 0 && gateway) console.log("gateway output:\n" + gateway.output.slice(-4000));
  await gateway?.stop();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
