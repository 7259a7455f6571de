/**
 * Producer-retry dedupe: a batch holding an event id already applied within the window is answered
 * `seen` with those ids, and nothing is applied.
 */
export const PRODUCER_DEDUPE_LUA = String.raw`
-- >>> ingest: producer-retry dedupe (docs/ingest.md) >>>
-- The same event_id under a new sequence number is a producer retry. Ids are kept in time buckets
-- (window / 4 wide; the last 5 are checked, covering at least the window). If any id of this batch
-- was seen, nothing is applied and the seen ids are returned: the worker folds the batch again
-- without them and calls again. The ids are recorded in phase 2, with the apply.
local dedupeWindow = tonumber(ARGV[15]) or 0
local dedupeIds = cjson.decode(ARGV[16] or '[]')
local dedupeKey, dedupeBucketMs = nil, 0
if dedupeWindow > 0 and #dedupeIds > 0 and not agg.dryRun then
  dedupeBucketMs = math.ceil(dedupeWindow / 4)
  local current = math.floor(tonumber(ARGV[10]) / dedupeBucketMs)
  local seen = {}
  for bucket = current - 4, current do
    local key = ARGV[14] .. bucket
    for first = 1, #dedupeIds, CHUNK do
      local chunk = { unpack(dedupeIds, first, math.min(first + CHUNK - 1, #dedupeIds)) }
      local found = redis.call('SMISMEMBER', key, unpack(chunk))
      for index, member in ipairs(found) do
        if member == 1 then seen[#seen + 1] = chunk[index] end
      end
    end
  end
  if #seen > 0 then
    return { 'seen', cjson.encode(seen) }
  end
  dedupeKey = ARGV[14] .. current
end
-- <<< ingest: producer-retry dedupe <<<
`;
