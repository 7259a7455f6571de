/**
 * Ends the apply: the new version and the change notice, the API write outcomes, and the batch's
 * apply receipt for its persist job.
 */
export const NOTICE_AND_RECEIPT_LUA = String.raw`
local version = tonumber(redis.call('GET', KEYS[3]) or '0')
if #rows > 0 then
  local watermark = tonumber(redis.call('GET', KEYS[4]) or '0')
  if ARGV[9] ~= '' then
    local candidate = math.min(tonumber(ARGV[9]), tonumber(ARGV[10]))
    if candidate > watermark then
      watermark = candidate
      redis.call('SET', KEYS[4], int(watermark))
    end
  end
  version = redis.call('INCR', KEYS[3])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[13], '*', 'v', int(version), 'w', int(watermark),
    'rows', cjson.encode(rows), 'alerts', aggAlertsJson)
end

-- The outcomes of the API writes this batch decided (applied, or refused and dead-lettered), for the
-- forms waiting on them: one entry in the write-outcomes stream every API process follows, and one
-- key per write for a day (GET /writes/:eventId). Written with the apply, so an outcome is reported
-- exactly when its effect is in the live state.
if #writeOutcomes > 0 then
  redis.call('XADD', agg.writeStream, 'MAXLEN', '~', agg.writeStreamMaxLength, '*', 'writes', agg.writes,
    'v', int(version))
  for _, outcome in ipairs(writeOutcomes) do
    redis.call('SET', agg.writeStatusPrefix .. outcome.eventId, cjson.encode(outcome), 'PX', agg.writeStatusTtlMs)
  end
end

-- The apply receipt: what the persist job needs to follow this apply exactly (docs/aggregation.md,
-- "One order across shards"): the batch's place in the global order (the version it made), each
-- SKU's state before it, and the events the worker left out (producer retries, refused events).
-- The persist job deletes it once MySQL holds the batch. The shard's apply chain finds the batch by
-- where it starts, so a later batch's job can persist it first (apply-receipt.repository.ts).
if agg.receipt ~= nil and agg.receipt ~= '' then
  local pre = '[]'
  if #receiptPre > 0 then pre = cjson.encode(receiptPre) end
  redis.call('SET', agg.receipt, '{"v":' .. int(version) .. ',"after":' .. cjson.encode({ ARGV[3], ARGV[4] }) ..
    ',"dropped":' .. (agg.dropped or '[]') .. ',"pre":' .. pre .. '}')
  redis.call('HSET', agg.chain, agg.chainField, agg.chainJob)
end
return { 'applied', int(version) }
`;
