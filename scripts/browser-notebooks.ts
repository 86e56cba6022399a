/**
 * The notebooks as a person sees them: starts JupyterLab with `npm run lab`'s script on 127.0.0.1, opens each
 * notebook in headless Chromium (playwright-core driving the Debian browser), runs all cells, and checks
 *   - every code cell ran (an execution count, none left at [*]) and no output is an error (error outputs, or
 *     stderr mentioning "Error": tslab sends compile and runtime errors there);
 *   - every plotly output rendered: its SVG is present, with as many drawn traces as the figure has;
 *   - the kernel is idle at the end.
 * One screenshot per notebook goes to test-artefacts/notebooks/<name>.png (git-ignored): look at them.
 *
 * Usage: npm run notebooks:browser [-- notebooks/04-deeprm-figure4.ipynb …] [-- --timeout 300]
 * Exit 0 = every notebook clean, 1 = a check failed (printed per notebook), 2 = set-up problem.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from 'lepton/notebook';
import { freePort, waitForHttp } from './lab-server';

const ROOT = path.resolve(__dirname, '..');
const ARTEFACTS = path.join(ROOT, 'test-artefacts', 'notebooks');

interface NotebookReport {
  notebook: string;
  seconds: number;
  cells: number;
  figures: { expected: number; drawn: number; svg: boolean }[];
  problems: string[];
}

/** Runs in the page: the state of the open notebook, read from JupyterLab's model and the DOM. */
function inspectNotebook(): {
  codeCells: number;
  counts: (number | null)[];
  running: number;
  errors: string[];
  figures: { expected: number; drawn: number; svg: boolean }[];
  kernel: string;
} {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const app = (window as any).jupyterapp;
  const panel = app.shell.currentWidget;
  const cells = panel.content.widgets;
  const counts: (number | null)[] = [];
  const errors: string[] = [];
  let running = 0;
  for (const cell of cells) {
    if (cell.model.type !== 'code') continue;
    const n = cell.model.executionCount;
    counts.push(n ?? null);
    if (cell.node.querySelector('.jp-InputPrompt')?.textContent?.includes('*')) running++;
    const outputs = cell.model.outputs.toJSON();
    for (const o of outputs) {
      if (o.output_type === 'error') errors.push(`${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr' && /Error/.test(String(o.text)))
        errors.push(`stderr: ${String(o.text).slice(0, 300)}`);
    }
  }
  const figures: { expected: number; drawn: number; svg: boolean }[] = [];
  // jupyterlab-plotly's renderer: the output node is itself the plotly graph div (.jp-RenderedPlotly.js-plotly-plot).
  for (const node of Array.from(document.querySelectorAll('.jp-OutputArea-output.jp-RenderedPlotly'))) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const gd = (node.classList.contains('js-plotly-plot') ? node : node.querySelector('.js-plotly-plot')) as any;
    const data = (gd?.data ?? []) as { type?: string; visible?: unknown }[];
    // Traces that plotly draws as one <g class="trace"> each (scatter, bar, box); heatmaps as an image.
    const drawnTypes = data.filter((t) => ['scatter', 'bar', 'box', undefined].includes(t.type) && t.visible !== false);
    const drawn = node.querySelectorAll(
      '.scatterlayer > .trace, .barlayer > .trace, .boxlayer > .trace, .heatmaplayer > .hm',
    ).length;
    const heat = data.filter((t) => t.type === 'heatmap').length;
    figures.push({ expected: drawnTypes.length + heat, drawn, svg: !!node.querySelector('svg.main-svg') });
  }
  return {
    codeCells: counts.length,
    counts,
    running,
    errors,
    figures,
    kernel: panel.sessionContext?.session?.kernel?.status ?? 'none',
  };
}

async function main(argv: string[]): Promise<number> {
  const timeoutIdx = argv.indexOf('--timeout');
  const timeoutS = timeoutIdx >= 0 ? Number(argv[timeoutIdx + 1]) : 300;
  const files = argv.filter((a, i) => a.endsWith('.ipynb') && (timeoutIdx < 0 || i !== timeoutIdx + 1));
  const notebooks = (
    files.length
      ? files.map((f) => path.resolve(f))
      : readdirSync(path.join(ROOT, 'notebooks'))
          .filter((f) => f.endsWith('.ipynb'))
          .sort()
          .map((f) => path.join(ROOT, 'notebooks', f))
  ).map((f) => path.relative(ROOT, f));
  mkdirSync(ARTEFACTS, { recursive: true });

  // Settings for this server only: every cell attached to the DOM (no windowing: off-screen figures must
  // render too), no news / update checks.
  const settings = mkdtempSync(path.join(os.tmpdir(), 'lepton-lab-settings-'));
  const put = (ext: string, plugin: string, value: object) => {
    mkdirSync(path.join(settings, ext), { recursive: true });
    writeFileSync(path.join(settings, ext, `${plugin}.jupyterlab-settings`), JSON.stringify(value));
  };
  put('@jupyterlab/notebook-extension', 'tracker', { windowingMode: 'none' });
  put('@jupyterlab/apputils-extension', 'notification', { fetchNews: 'false', checkForUpdates: false });
  const workspaces = mkdtempSync(path.join(os.tmpdir(), 'lepton-lab-workspaces-'));

  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const lab = spawn(
    'bash',
    [
      path.join(ROOT, 'scripts', 'lab.sh'),
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      `--IdentityProvider.token=${token}`,
      '--LabApp.expose_app_in_browser=True',
      `--LabApp.workspaces_dir=${workspaces}`,
    ],
    {
      cwd: ROOT,
      detached: true, // its own process group: we stop JupyterLab and its kernels together
      env: { ...process.env, LEPTON_LAB_WATCH: '0', JUPYTERLAB_SETTINGS_DIR: settings },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let labLog = '';
  lab.stdout?.on('data', (d) => (labLog += d));
  lab.stderr?.on('data', (d) => (labLog += d));
  const stopLab = () => {
    try {
      if (lab.pid) process.kill(-lab.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', stopLab);

  const reports: NotebookReport[] = [];
  try {
    await waitForHttp(`${base}/api/status?token=${token}`, lab, 120_000);
    console.log(`JupyterLab up at ${base} (npm run lab's script, uid ${process.getuid?.() ?? '?'})`);
    const session = await launchChromium({ width: 1400, height: 1000 });
    try {
      const { page } = session;
      for (const nb of notebooks) {
        const t0 = Date.now();
        const report: NotebookReport = { notebook: nb, seconds: 0, cells: 0, figures: [], problems: [] };
        reports.push(report);
        try {
          await page.goto(`${base}/lab/tree/${nb}?reset&token=${token}`);
          await page.waitForFunction(
            () => {
              // eslint-disable-next-line @typescript-eslint/no-explicit-any
              const panel = (window as any).jupyterapp?.shell?.currentWidget;
              return panel?.content?.widgets?.length > 0 && panel.sessionContext?.session?.kernel?.status === 'idle';
            },
            undefined,
            { timeout: 90_000 },
          );
          await page.evaluate(() =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (window as any).jupyterapp.commands.execute('notebook:run-all-cells'),
          );
          // Done when every code cell has an execution count and the kernel is idle again (or a cell failed).
          await page.waitForFunction(
            () => {
              // eslint-disable-next-line @typescript-eslint/no-explicit-any
              const panel = (window as any).jupyterapp.shell.currentWidget;
              const code = panel.content.widgets.filter((c: { model: { type: string } }) => c.model.type === 'code');
              const idle = panel.sessionContext?.session?.kernel?.status === 'idle';
              const done = code.every((c: { model: { executionCount: number | null } }) => c.model.executionCount);
              const failed = code.some(
                (c: { model: { outputs: { toJSON(): { output_type: string; name?: string; text?: string }[] } } }) =>
                  c.model.outputs
                    .toJSON()
                    .some((o) => o.output_type === 'error' || (o.name === 'stderr' && /Error/.test(String(o.text)))),
              );
              return idle && (done || failed);
            },
            undefined,
            { timeout: timeoutS * 1000, polling: 500 },
          );
          await page.waitForTimeout(1500); // let the last plotly renders finish
          if (process.env.LEPTON_BROWSER_DEBUG)
            console.log(
              await page.evaluate(() =>
                Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                  .map((n) => `${n.className} [${n.getAttribute('data-mime-type')}] ${n.innerHTML.slice(0, 150)}`)
                  .join('\n'),
              ),
            );
          const state = await page.evaluate(inspectNotebook);
          report.cells = state.codeCells;
          report.figures = state.figures;
          const missing = state.counts.filter((c) => !c).length;
          if (missing) report.problems.push(`${missing} of ${state.codeCells} code cells did not run`);
          if (state.running) report.problems.push(`${state.running} cells still running`);
          report.problems.push(...state.errors.map((e) => `error output: ${e}`));
          state.figures.forEach((f, i) => {
            if (!f.svg) report.problems.push(`figure ${i + 1}: no SVG rendered`);
            if (f.drawn !== f.expected)
              report.problems.push(`figure ${i + 1}: ${f.drawn} traces drawn, ${f.expected} expected`);
          });
          if (state.figures.length === 0) report.problems.push('no plotly figure rendered');
          if (state.kernel !== 'idle') report.problems.push(`kernel ${state.kernel} at the end (expected idle)`);
          // Screenshot with the first figure in view (the notebook scrolls inside its panel).
          await page.evaluate(() => {
            const fig = document.querySelector('.jp-OutputArea-output.jp-RenderedPlotly');
            fig?.scrollIntoView({ block: 'center' });
          });
          await page.waitForTimeout(500);
        } catch (e) {
          report.problems.push(`${(e as Error).message.split('\n')[0]}`);
        }
        await page.screenshot({ path: path.join(ARTEFACTS, `${path.basename(nb, '.ipynb')}.png`) }).catch(() => {});
        // Shut the notebook's kernel down before the next one (CPU is shared).
        await page
          .evaluate(() =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (window as any).jupyterapp.commands.execute('kernelmenu:shutdown'),
          )
          .catch(() => {});
        const sessions = (await (await fetch(`${base}/api/sessions?token=${token}`)).json()) as { id: string }[];
        for (const s of sessions) await fetch(`${base}/api/sessions/${s.id}?token=${token}`, { method: 'DELETE' });
        report.seconds = (Date.now() - t0) / 1000;
        const figs = report.figures.map((f) => `${f.drawn}/${f.expected}`).join(' ');
        console.log(
          `${report.problems.length ? 'FAIL' : 'ok  '} ${nb} (${report.cells} code cells, figures drawn/expected traces: ${figs || '-'}, ${report.seconds.toFixed(0)} s)`,
        );
        for (const p of report.problems) console.log(`     ${p}`);
      }
    } finally {
      await session.close();
    }
  } catch (e) {
    console.error(`browser-notebooks: ${(e as Error).message}\n--- JupyterLab log (tail) ---\n${labLog.slice(-3000)}`);
    return 2;
  } finally {
    stopLab();
    rmSync(settings, { recursive: true, force: true });
    rmSync(workspaces, { recursive: true, force: true });
  }
  const bad = reports.filter((r) => r.problems.length).length;
  console.log(
    `browser: ${reports.length - bad} notebooks clean, ${bad} failed; screenshots in ${path.relative(ROOT, ARTEFACTS)}/`,
  );
  return bad ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
