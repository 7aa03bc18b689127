/**
 * An import into the catalog an open page shows (another process: `npm run import`) reaches the
 * page within a few seconds, without a reload.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useWebApp } from './web-app-harness.ts';

const run = promisify(execFile);
const app = useWebApp();

describe('an import while the page is open', () => {
  it('shows the imported calls and the new total within a few seconds', async () => {
    await app.open();
    const grid = app.page.getByRole('grid', { name: 'Calls' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(app.calls.length + 1));

    const file = join(app.server.dataDir, 'more-calls.ndjson');
    const rows = [1, 2, 3].map((n) =>
      JSON.stringify({
        interaction_id: `imported-${n}`,
        customer_name: `Imported Person ${n}`,
        phone: `+1555010000${n}`,
        status: 'COMPLETED',
        start_time: `2025-08-10T0${n}:00:00Z`,
      }),
    );
    writeFileSync(file, `${rows.join('\n')}\n`);
    // The demo's catalog is in the demo folder of the data folder (docs/metadata.md says so).
    await run(process.execPath, ['--import', 'tsx', 'electron/core/cli/import.ts', file], {
      env: { ...process.env, TAPEDECK_DATA_DIR: join(app.server.dataDir, 'demo') },
    });

    await expect
      .poll(() => grid.getAttribute('aria-rowcount'), { timeout: 8000 })
      .toBe(String(app.calls.length + 3 + 1));
    await expect
      .poll(() => app.page.getByText('Imported Person 3').count(), { timeout: 5000 })
      .toBeGreaterThan(0);
  });
});
