import { BOUND_CHECKS_LUA } from './apply-batch/bound-checks.lua';
import { COUNTER_CHECKS_LUA } from './apply-batch/counter-checks.lua';
import { NOTICE_AND_RECEIPT_LUA } from './apply-batch/notice-and-receipt.lua';
import { PHASE_TWO_WRITES_LUA } from './apply-batch/phase-two-writes.lua';
import { POSITION_CHECK_LUA } from './apply-batch/position-check.lua';
import { APPLY_PRELUDE_LUA } from './apply-batch/prelude.lua';
import { PRODUCER_DEDUPE_LUA } from './apply-batch/producer-dedupe.lua';
import { SKU_OUTCOMES_LUA } from './apply-batch/sku-outcomes.lua';
import { STOCK_REPLAY_LUA } from './apply-batch/stock-replay.lua';
import { WINDOW_ACCUMULATORS_LUA } from './apply-batch/window-accumulators.lua';
import { WINDOW_CELLS_LUA } from './apply-batch/window-cells.lua';

/**
 * The atomic batch apply: one Lua script, kept as named sections (./apply-batch/*.lua.ts) in the
 * order they run. They share one scope, so a section uses the locals of the sections before it.
 * Its arguments are encoded, and its answers decoded, by apply-batch.codec.ts.
 */
export const APPLY_BATCH_SCRIPT = [
  APPLY_PRELUDE_LUA,
  // Phase 1: READ AND CHECK (no writes).
  POSITION_CHECK_LUA,
  BOUND_CHECKS_LUA,
  PRODUCER_DEDUPE_LUA,
  STOCK_REPLAY_LUA,
  WINDOW_ACCUMULATORS_LUA,
  SKU_OUTCOMES_LUA,
  WINDOW_CELLS_LUA,
  COUNTER_CHECKS_LUA,
  // Phase 2: WRITE (nothing below can fail).
  PHASE_TWO_WRITES_LUA,
  NOTICE_AND_RECEIPT_LUA,
].join('');
