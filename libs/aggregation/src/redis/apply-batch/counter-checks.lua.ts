/**
 * Checks every bucket and total counter the batch increments against its stored value, then ends phase 1:
 * a dry run answers here, and a refused batch stops before anything is written.
 */
export const COUNTER_CHECKS_LUA = String.raw`
-- Every counter this batch increments, checked against its stored value.
local BUCKET_FIELDS = { 'o', 'r', 'u', 'c', 'n', 'lo', 'lr', 'lu', 'lc', 'ln', 't', 'so', 'sa' }
for _, key in ipairs(bucketOrder) do
  local bucket = buckets[key]
  local stored = redis.call('HMGET', key, 'sv', unpack(BUCKET_FIELDS))
  for index, field in ipairs(BUCKET_FIELDS) do
    if bucket[field] ~= 0 then checkInteger(key .. ' ' .. field, (tonumber(stored[index + 1]) or 0) + bucket[field]) end
  end
  if bucket.sv ~= 0 then checkFinite(key .. ' sv', (tonumber(stored[1]) or 0) + bucket.sv) end
  for _, sku in ipairs(bucket.skuOrder) do
    local totals = bucket.skus[sku]
    checkInteger(key .. ' units of ' .. sku, totals[1])
    checkInteger(key .. ' revenue of ' .. sku, totals[2])
  end
end
for first = 1, #totalsOrder, CHUNK do
  local fields = { unpack(totalsOrder, first, math.min(first + CHUNK - 1, #totalsOrder)) }
  local stored = redis.call('HMGET', agg.totals, unpack(fields))
  for index, field in ipairs(fields) do
    checkInteger('stock total ' .. field, (tonumber(stored[index]) or 0) + totalsDelta[field])
  end
end
-- ===== Aggregation (end of the computing half) =====

if agg.dryRun then
  if refusal then return { 'refused', refusal } end
  return { 'valid' }
end
if refusal then
  return { 'refused', refusal }
end
`;
