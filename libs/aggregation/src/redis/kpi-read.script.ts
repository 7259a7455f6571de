// Reads one window's buckets, the stock totals and the watermark in one atomic step, so the
// figures of a response all belong to the same instant.
// KEYS: 1 watermark, 2 stock totals, 3 scratch key for the top-SKU unions (deleted before returning)
// ARGV: 1 bucket key prefix, 2 bucket ms, 3 source, 4 buckets in the window, 5 top count
export const READ_KPIS_SCRIPT = String.raw`
local watermark = tonumber(redis.call('GET', KEYS[1]) or '')
local totals = redis.call('HGETALL', KEYS[2])
if watermark == nil then return { false, totals, {}, {} } end
local size, source, count, top = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local last = math.floor(watermark / size) * size
local sums = { 0, 0, 0, 0, 0, 0, 0, 0, 0 }
local unitSets, revenueSets = {}, {}
for index = count - 1, 0, -1 do
  local start = string.format('%d', last - index * size)
  local key = ARGV[1] .. size .. ':' .. source .. ':' .. start
  local sales = redis.call('HMGET', key, 'o', 'r', 'u', 'c', 'n')
  for field = 1, 5 do sums[field] = sums[field] + (tonumber(sales[field]) or 0) end
  -- Time-weighted stock figures are kept for all sources together.
  local stock = redis.call('HMGET', ARGV[1] .. size .. ':*:' .. start, 't', 'so', 'sa', 'sv')
  for field = 1, 4 do sums[5 + field] = sums[5 + field] + (tonumber(stock[field]) or 0) end
  if redis.call('EXISTS', key .. ':u') == 1 then unitSets[#unitSets + 1] = key .. ':u' end
  if redis.call('EXISTS', key .. ':r') == 1 then revenueSets[#revenueSets + 1] = key .. ':r' end
end
-- Candidates: every SKU scoring at least the top-th score of either ranking (ties included).
local units, revenue = KEYS[3] .. ':u', KEYS[3] .. ':r'
local candidates, seen = {}, {}
local function collect(target, sets)
  if #sets == 0 then return end
  redis.call('ZUNIONSTORE', target, #sets, unpack(sets))
  local edge = redis.call('ZREVRANGE', target, top - 1, top - 1, 'WITHSCORES')
  local floor = edge[2] or '-inf'
  for _, sku in ipairs(redis.call('ZRANGEBYSCORE', target, floor, '+inf')) do
    if not seen[sku] then
      seen[sku] = true
      candidates[#candidates + 1] = sku
    end
  end
end
collect(units, unitSets)
collect(revenue, revenueSets)
local ranked = {}
for _, sku in ipairs(candidates) do
  ranked[#ranked + 1] = sku
  ranked[#ranked + 1] = redis.call('ZSCORE', units, sku) or '0'
  ranked[#ranked + 1] = redis.call('ZSCORE', revenue, sku) or '0'
end
redis.call('DEL', units, revenue)
local encoded = {}
for field = 1, 9 do encoded[field] = string.format('%.17g', sums[field]) end
return { string.format('%d', watermark), totals, encoded, ranked }
`;

// Reads one window's sales sums and the late sums kept beside them (lo lr lu lc ln: events the
// window leaves out because they came later than the allowed lateness), with the watermark, in one
// atomic step. Reconcile compares their total with MySQL, which keeps every event in its minute.
// KEYS: 1 watermark
// ARGV: 1 bucket key prefix, 2 bucket ms, 3 source, 4 buckets in the window
export const READ_WINDOW_TOTALS_SCRIPT = String.raw`
local watermark = tonumber(redis.call('GET', KEYS[1]) or '')
if watermark == nil then return { false, {} } end
local size, source, count = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local last = math.floor(watermark / size) * size
local sums = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
for index = count - 1, 0, -1 do
  local key = ARGV[1] .. size .. ':' .. source .. ':' .. string.format('%d', last - index * size)
  local fields = redis.call('HMGET', key, 'o', 'r', 'u', 'c', 'n', 'lo', 'lr', 'lu', 'lc', 'ln')
  for field = 1, 10 do sums[field] = sums[field] + (tonumber(fields[field]) or 0) end
end
local encoded = {}
for field = 1, 10 do encoded[field] = string.format('%.17g', sums[field]) end
return { string.format('%d', watermark), encoded }
`;
