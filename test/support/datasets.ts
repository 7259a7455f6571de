import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The public retail datasets the real-data tests read: `DATASETS_DIR` when set, else the
 * `shared/datasets` folder beside the checkout, else the machine's standard location.
 */
export const DATASETS_DIR =
  process.env.DATASETS_DIR ??
  [resolve(__dirname, '..', '..', '..', 'shared', 'datasets'), '/work/shared/datasets'].find((dir) =>
    existsSync(dir),
  ) ??
  '/work/shared/datasets';
