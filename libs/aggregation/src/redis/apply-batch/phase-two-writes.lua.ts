/**
 * Phase 2: writes what phase 1 checked (dedupe ids, stock rows and index, checkpoint, dead letters,
 * alerts, totals, window buckets) and drops buckets past retention. Nothing here can fail.
 */
export const PHASE_TWO_WRITES_LUA = String.raw`
-- =========================== Phase 2: WRITE (nothing below can fail) ===========================

if dedupeKey ~= nil then
  callChunked('SADD', dedupeKey, {}, dedupeIds)
  redis.call('PEXPIRE', dedupeKey, dedupeWindow + 2 * dedupeBucketMs)
end

for _, stockWrite in ipairs(stockWrites) do
  redis.call('HSET', stockWrite[1], unpack(stockWrite[2]))
  if stockWrite[3] then redis.call('HDEL', stockWrite[1], 'rc') end
end
callChunked('ZADD', KEYS[6], {}, indexMembers, 2 * CHUNK)

if not noRecords then
  redis.call('HSET', KEYS[1], 'seq', ARGV[5], 'sub', ARGV[6])
end
if ARGV[11] == '1' then
  redis.call('HSET', KEYS[1], 'end', '1')
end

for _, letter in ipairs(cjson.decode(ARGV[12])) do
  redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[13], '*', 'shard', letter[1], 'seq', letter[2], 'sub', letter[3],
    'reason', letter[4], 'detail', letter[5], 'raw', letter[6], 'bytes', letter[7], 'at', ARGV[10])
end

if integratedUpTo ~= nil then
  redis.call('HSET', agg.totals, 'tw:last', int(integratedUpTo))
end
for _, encoded in ipairs(batchAlerts) do
  redis.call('XADD', agg.alerts, 'MAXLEN', '~', agg.alertsMaxLength, '*', 'alert', encoded)
end
for _, field in ipairs(totalsOrder) do
  local delta = totalsDelta[field]
  if delta ~= 0 then redis.call('HINCRBY', agg.totals, field, int(delta)) end
end

local indexed = {}
for _, key in ipairs(bucketOrder) do
  local bucket = buckets[key]
  for _, field in ipairs({ 'o', 'r', 'u', 'c', 'lo', 'lr', 'lu', 'lc', 'ln', 't', 'so', 'sa' }) do
    if bucket[field] ~= 0 then redis.call('HINCRBY', key, field, int(bucket[field])) end
  end
  if bucket.t ~= 0 and bucket.sv ~= 0 then
    redis.call('HINCRBYFLOAT', key, 'sv', string.format('%.17g', bucket.sv))
  end
  if bucket.onTime then redis.call('HINCRBY', key, 'n', int(bucket.n)) end
  for _, sku in ipairs(bucket.skuOrder) do
    local totals = bucket.skus[sku]
    if totals[1] ~= 0 then redis.call('ZINCRBY', key .. ':u', totals[1], sku) end
    if totals[2] ~= 0 then redis.call('ZINCRBY', key .. ':r', totals[2], sku) end
  end
  indexed[#indexed + 1] = bucket.start
  indexed[#indexed + 1] = key
end
callChunked('ZADD', agg.kpiIndex, { 'NX' }, indexed, 2 * CHUNK)

-- Buckets no window or late event can reach any more are dropped, a bounded number per batch.
if aggWatermarkAfter ~= nil then
  local expired = redis.call('ZRANGEBYSCORE', agg.kpiIndex, '-inf', '(' .. int(aggWatermarkAfter - agg.retentionMs),
    'LIMIT', 0, 256)
  for _, key in ipairs(expired) do redis.call('DEL', key, key .. ':u', key .. ':r') end
  if #expired > 0 then redis.call('ZREM', agg.kpiIndex, unpack(expired)) end
end
local aggAlertsJson = '[' .. table.concat(batchAlerts, ',') .. ']'
-- ===== Aggregation (end) =====
`;
