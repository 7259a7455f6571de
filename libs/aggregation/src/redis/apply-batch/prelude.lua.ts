/**
 * The script's overview (its phases, KEYS, ARGV and answers) and the helpers every later section uses:
 * position comparison, integer formatting and chunked calls.
 */
export const APPLY_PRELUDE_LUA = String.raw`
-- Applies one folded batch of one shard in a single atomic step, all or nothing:
-- (1) fencing: the caller must still hold the shard's lease with the same epoch,
-- (2) the batch must start exactly at the shard's checkpoint (or be entirely behind it: a duplicate),
-- (3) the producer-retry dedupe, (4) every new value is computed and checked, (5) only then is
-- anything written: stock, checkpoint, dead letters, totals, forecasts, alerts, window buckets,
-- the change notice with a new version, and the batch's apply receipt for the persist job.
--
-- Redis does not roll a script back, so nothing that can fail runs after the first write: phase 1
-- (READ AND CHECK) only reads and computes; a batch that would push any stored integer past
-- 2^53 - 1 (where doubles stop being exact and HINCRBY can overflow) is refused with its reason.
-- Phase 2 (WRITE) only writes values phase 1 checked.
--
-- KEYS: 1 checkpoint, 2 lease, 3 version, 4 watermark, 5 changes stream, 6 stock index, 7 dead-letter stream
-- ARGV: 1 owner, 2 epoch, 3 after seq ('' = shard start), 4 after sub, 5 last seq, 6 last sub,
--       7 stock key prefix, 8 changes JSON, 9 max event time ('' = none), 10 now (ms), 11 shard end ('1'/'0'),
--       12 dead letters JSON, 13 stream max length,
--       14 dedupe key prefix, 15 dedupe window ms ('0' = off), 16 producer event ids JSON (see the ingest section),
--       last: the aggregation parameters as one JSON object (see apply-batch.codec.ts encodeAggregation)
--
-- Answers: { 'applied', version } | { 'duplicate' } | { 'fenced' } | { 'out_of_order', seq, sub }
--        | { 'seen', ids JSON } | { 'refused', reason } | dry run: { 'valid' } or { 'refused', reason }

local MAX_SAFE = 9007199254740991
-- Lua's unpack and a command's arguments are bounded (LUAI_MAXCSTACK = 8000): every list is passed in chunks.
local CHUNK = 1000

local function compare(aSeq, aSub, bSeq, bSub)
  -- Sequence numbers are decimal integers without leading zeros: longer is larger.
  if #aSeq ~= #bSeq then return #aSeq < #bSeq and -1 or 1 end
  if aSeq ~= bSeq then return aSeq < bSeq and -1 or 1 end
  local x, y = tonumber(aSub) or 0, tonumber(bSub) or 0
  if x == y then return 0 end
  return x < y and -1 or 1
end

local function int(n)
  return string.format('%d', n)
end

-- Calls "command key <fixed...> <items in chunks>" so no call unpacks more than CHUNK values.
local function callChunked(command, key, fixed, items, step)
  step = step or CHUNK
  for first = 1, #items, step do
    local args = {}
    for _, value in ipairs(fixed) do args[#args + 1] = value end
    for index = first, math.min(first + step - 1, #items) do args[#args + 1] = items[index] end
    redis.call(command, key, unpack(args))
  end
end
`;
