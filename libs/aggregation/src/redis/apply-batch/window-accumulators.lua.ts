/**
 * The aggregation's working tables: the watermark after the batch, the window buckets and stock totals
 * the batch changes (summed here, written once in phase 2), the time-weighted stock integration and
 * the batch's window cells.
 */
export const WINDOW_ACCUMULATORS_LUA = String.raw`
-- ===== Aggregation (begin): stock totals, forecasts, alerts, rolling windows =====
-- Mirrors libs/aggregation/src/core (alert-rules.ts, forecast.ts, window-buckets.ts). Its
-- parameters travel as one JSON object in the LAST argument, so the arguments above can grow.
-- Work is O(changed SKUs + touched buckets); nothing here loops over events.
local MINUTE, QUARTER = 60000, 900000
local aggWatermarkBefore = tonumber(redis.call('GET', KEYS[4]) or '')
local aggWatermarkAfter = aggWatermarkBefore
if ARGV[9] ~= '' and #touched > 0 then
  local candidate = math.min(tonumber(ARGV[9]), tonumber(ARGV[10]))
  if aggWatermarkAfter == nil or candidate > aggWatermarkAfter then aggWatermarkAfter = candidate end
end

local function bucketKey(size, source, start)
  return agg.kpiPrefix .. size .. ':' .. source .. ':' .. int(start)
end

-- Window buckets this batch changes, each summed here and written once in phase 2.
local buckets, bucketOrder = {}, {}
local function bucketOf(size, source, start)
  local key = bucketKey(size, source, start)
  local bucket = buckets[key]
  if bucket == nil then
    bucket = { start = start, onTime = false, o = 0, r = 0, u = 0, c = 0, n = 0, skus = {}, skuOrder = {},
      lo = 0, lr = 0, lu = 0, lc = 0, ln = 0, t = 0, so = 0, sa = 0, sv = 0 }
    buckets[key] = bucket
    bucketOrder[#bucketOrder + 1] = key
  end
  return bucket
end

-- Totals change by the sum over the batch's SKUs: summed here, written once per field in phase 2.
local totalsDelta, totalsOrder = {}, {}
local function addTotal(field, delta)
  local current = totalsDelta[field]
  if current == nil then
    totalsOrder[#totalsOrder + 1] = field
    current = 0
  end
  totalsDelta[field] = current + delta
end

-- Time-weighted stock figures: integrate the totals held before this batch from the last
-- integrated instant to the new watermark, into the overall minute and quarter buckets.
local integratedUpTo = nil
if aggWatermarkAfter ~= nil then
  local last = tonumber(redis.call('HGET', agg.totals, 'tw:last') or '')
  if last == nil or aggWatermarkAfter > last then
    if last ~= nil then
      local totals = redis.call('HMGET', agg.totals, '*:out', '*:act', '*:val')
      local out, act, val = tonumber(totals[1]) or 0, tonumber(totals[2]) or 0, tonumber(totals[3]) or 0
      local from = math.max(last, aggWatermarkAfter - agg.retentionMs)
      for _, size in ipairs({ MINUTE, QUARTER }) do
        local at = from
        while at < aggWatermarkAfter do
          local start = math.floor(at / size) * size
          local stop = math.min(start + size, aggWatermarkAfter)
          local span = stop - at
          local bucket = bucketOf(size, '*', start)
          bucket.t = bucket.t + span
          bucket.so = bucket.so + out * span
          bucket.sa = bucket.sa + act * span
          bucket.sv = bucket.sv + val * span
          at = stop
        end
      end
    end
    integratedUpTo = aggWatermarkAfter
  end
end

-- Window cells of this batch, keyed by minute and source; COGS and unpriced reversals join them below.
local cells, cellOrder = {}, {}
local function cellOf(minute, source)
  local id = int(minute) .. '\t' .. source
  local cell = cells[id]
  if cell == nil then
    cell = { source = source, minute = minute, o = 0, r = 0, u = 0, c = 0, n = 0, skus = {}, skuOrder = {} }
    cells[id] = cell
    cellOrder[#cellOrder + 1] = id
  end
  return cell
end
local function skuOf(cell, sku)
  local entry = cell.skus[sku]
  if entry == nil then
    entry = { 0, 0 }
    cell.skus[sku] = entry
    cell.skuOrder[#cell.skuOrder + 1] = sku
  end
  return entry
end
for _, sale in ipairs(agg.sales) do
  local cell = cellOf(sale[2], sale[1])
  cell.o, cell.r, cell.u, cell.n = cell.o + sale[3], cell.r + sale[4], cell.u + sale[5], cell.n + sale[6]
  for _, entry in ipairs(sale[7]) do
    local totals = skuOf(cell, entry[1])
    totals[1], totals[2] = totals[1] + entry[2], totals[2] + entry[3]
  end
end

local function addTotals(location, sign, units, value, below, out, act)
  for _, scope in ipairs({ location, '*' }) do
    if units ~= 0 then addTotal(scope .. ':units', sign * units) end
    if value ~= 0 then addTotal(scope .. ':val', sign * value) end
    if below then addTotal(scope .. ':below', sign) end
    if out then addTotal(scope .. ':out', sign) end
    if act then addTotal(scope .. ':act', sign) end
  end
end
`;
