// The atomic batch apply, kept as Lua source beside its TypeScript caller.
export const APPLY_BATCH_SCRIPT = String.raw`
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
--       last: the aggregation parameters as one JSON object (see live-state.repository.ts encodeAggregation)
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

-- ============================== Phase 1: READ AND CHECK (no writes) ==============================

local lease = redis.call('HMGET', KEYS[2], 'owner', 'epoch')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then
  return { 'fenced' }
end

local checkpoint = redis.call('HMGET', KEYS[1], 'seq', 'sub', 'end')
if checkpoint[3] == '1' then
  return { 'duplicate' }
end
local cpSeq, cpSub = checkpoint[1] or '', checkpoint[2] or '0'
local noRecords = ARGV[5] == ARGV[3] and ARGV[6] == ARGV[4]
if not noRecords and cpSeq ~= '' and compare(ARGV[5], ARGV[6], cpSeq, cpSub) <= 0 then
  return { 'duplicate' }
end
if compare(ARGV[3], ARGV[4], cpSeq, cpSub) ~= 0 then
  return { 'out_of_order', cpSeq, cpSub }
end

local agg = cjson.decode(ARGV[#ARGV])
-- Decoded before any write: nothing that can fail runs after the first one.
local writeOutcomes = cjson.decode(agg.writes or '[]')
local refusal = nil
local function refuse(reason)
  if refusal == nil then refusal = reason end
end
-- Every integer the apply stores must stay exact in a double and inside HINCRBY's range.
local function checkInteger(what, value)
  if value ~= value or value > MAX_SAFE or value < -MAX_SAFE then
    refuse(what .. ' would leave the exact integer range (|x| <= 2^53 - 1)')
  end
end
local function checkFinite(what, value)
  if value ~= value or value == math.huge or value == -math.huge then refuse(what .. ' would not be finite') end
end

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

-- Stock: each SKU's stored state is read once, its ops replayed, its new row kept for phase 2.
local rows = {}
local touched = {} -- aggregation: each SKU's state before and after, used by the section after the stock apply
local receiptPre = {} -- each SKU's state before the batch, for the persist job (see the receipt below)
local indexMembers = {}
for _, change in ipairs(cjson.decode(ARGV[8])) do
  local sku, location = change[1], change[2]
  local key = ARGV[7] .. location .. ':' .. sku
  -- One read of every field the batch needs (stock, then forecast and alert state); one write in phase 2.
  local h = redis.call('HMGET', key, 'on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le',
    'sr', 'st', 'dd', 'dq', 'dn', 'ds', 'd2', 'rc', 'lt', 'la', 'os')
  receiptPre[#receiptPre + 1] = { sku, location, h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8] }
  local onHand, committed = tonumber(h[1]) or 0, tonumber(h[2]) or 0
  local unitCost, unitPrice, reorderPoint = tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
  local active, name, lastEventAt = h[6] ~= '0', h[7] or '', tonumber(h[8]) or 0
  local aggBefore = { existed = h[1] ~= false, onHand = onHand, committed = committed, unitCost = unitCost,
    reorderPoint = reorderPoint, active = active, costed = {} }
  for _, op in ipairs(change[4]) do
    local kind = op[1]
    if kind == 'a' then
      onHand = onHand + op[2]
      committed = committed + op[3]
      if op[4] then aggBefore.costed[#aggBefore.costed + 1] = { op[4], unitCost, unitPrice } end
    elseif kind == 's' then
      onHand = op[2]
    elseif kind == 'r' then
      if onHand <= 0 or unitCost == nil then
        unitCost = op[3]
      else
        unitCost = math.floor((onHand * unitCost + op[2] * op[3]) / (onHand + op[2]) + 0.5)
      end
      onHand = onHand + op[2]
      if op[4] ~= nil and op[4] ~= cjson.null then aggBefore.supplier = op[4] end
    elseif kind == 'd' then
      name, onHand, active = op[2], op[3], true
      if op[4] ~= cjson.null then unitPrice = op[4] end
      if op[5] ~= cjson.null then unitCost = op[5] end
      if op[6] ~= cjson.null then reorderPoint = op[6] end
    elseif kind == 'x' then
      onHand, active = 0, false
    elseif kind == 'p' then
      reorderPoint = op[2]
    elseif kind == 'c' then
      -- product_updated: the catalog fields given; stock never changes.
      if op[2] ~= cjson.null then name = op[2] end
      if op[3] ~= cjson.null then unitPrice = op[3] end
      if op[4] ~= cjson.null then unitCost = op[4] end
    end
    -- Checked after every op: an intermediate value is what a restock's average is computed from.
    checkInteger('on hand of ' .. sku .. ' at ' .. location, onHand)
    checkInteger('committed of ' .. sku .. ' at ' .. location, committed)
  end
  if unitCost ~= nil then checkInteger('unit cost of ' .. sku .. ' at ' .. location, unitCost) end
  if onHand > 0 and unitCost ~= nil then
    checkInteger('stock value of ' .. sku .. ' at ' .. location, onHand * unitCost)
  end
  if change[3] > lastEventAt then lastEventAt = change[3] end
  local row = {
    sku, location, int(onHand), int(committed),
    unitCost and int(unitCost) or '', unitPrice and int(unitPrice) or '', reorderPoint and int(reorderPoint) or '',
    active and '1' or '0', name, int(lastEventAt),
  }
  indexMembers[#indexMembers + 1] = 0
  indexMembers[#indexMembers + 1] = sku .. '\t' .. location
  rows[#rows + 1] = row
  touched[#touched + 1] = { aggBefore, sku, location, key, onHand, committed, unitCost, reorderPoint, active,
    lastEventAt, change[5], { unpack(h, 9, 19) }, row }
end

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

local batchAlerts = {}
local stockWrites = {} -- { key, HSET arguments, drop the computed reorder point }
local supplierLeadTimes = {}
for _, entry in ipairs(touched) do
  local before, sku, location, key = entry[1], entry[2], entry[3], entry[4]
  local onHand, committed, unitCost, reorderPoint, active, at = entry[5], entry[6], entry[7], entry[8], entry[9], entry[10]
  local f, row = entry[12], entry[13]
  local write = { 'on', row[3], 'cm', row[4], 'uc', row[5], 'up', row[6], 'rp', row[7], 'ac', row[8], 'nm', row[9],
    'le', row[10] }

  -- COGS at the moving-average cost held when the units shipped; reversals without a price at the SKU's price.
  for _, costed in ipairs(before.costed) do
    for _, flow in ipairs(costed[1]) do
      local cell = cellOf(flow[1], flow[2])
      local cost = costed[2] or 0
      if cost == cjson.null then cost = 0 end
      cell.c = cell.c + flow[3] * cost
      if flow[4] ~= 0 then
        local price = costed[3]
        if price ~= nil and price ~= cjson.null then
          cell.r = cell.r - flow[4] * price
          local totals = skuOf(cell, sku)
          totals[2] = totals[2] - flow[4] * price
        end
      end
    end
  end

  -- Demand: decayed sell rate and completed-day statistics (forecast.ts recordDemand).
  local rate, rateAt = tonumber(f[1]) or 0, tonumber(f[2])
  local day, dayUnits = tonumber(f[3]), tonumber(f[4]) or 0
  local days, sum, squares = tonumber(f[5]) or 0, tonumber(f[6]) or 0, tonumber(f[7]) or 0
  local decayHours = agg.decayMs / 3600000
  local demand = entry[11] or {}
  for _, sold in ipairs(demand) do
    local time, units = sold[1], sold[2]
    if rateAt == nil or time >= rateAt then
      rate = rateAt == nil and 0 or rate * math.exp(-(time - rateAt) / agg.decayMs)
      rateAt = time
      rate = rate + units / decayHours
    else
      rate = rate + (units / decayHours) * math.exp(-(rateAt - time) / agg.decayMs)
    end
    local soldDay = math.floor(time / 86400000)
    if day == nil then
      day, dayUnits = soldDay, 0
    elseif soldDay > day then
      days, sum, squares = days + soldDay - day, sum + dayUnits, squares + dayUnits * dayUnits
      day, dayUnits = soldDay, 0
    end
    dayUnits = dayUnits + units
  end
  local leadTime = tonumber(f[9])
  if before.supplier ~= nil then
    -- One lookup per supplier and batch (false: none on record).
    local supplierLeadTime = supplierLeadTimes[before.supplier]
    if supplierLeadTime == nil then
      supplierLeadTime = tonumber(redis.call('HGET', agg.leadTimes, before.supplier) or '') or false
      supplierLeadTimes[before.supplier] = supplierLeadTime
    end
    if supplierLeadTime then leadTime = supplierLeadTime end
  end
  local effectiveLeadTime = leadTime
  if effectiveLeadTime == nil and agg.leadTimeDays >= 0 then effectiveLeadTime = agg.leadTimeDays end
  local computed = nil
  if effectiveLeadTime ~= nil and days >= agg.minHistoryDays and days > 0 then
    local mean = sum / days
    local variance = math.max(squares / days - mean * mean, 0)
    computed = math.ceil(mean * effectiveLeadTime + agg.z * math.sqrt(variance) * math.sqrt(effectiveLeadTime) - 1e-9)
  end
  if #demand > 0 then
    checkFinite('sell rate of ' .. sku, rate)
    checkInteger('units sold in a day of ' .. sku, dayUnits)
    checkInteger('units sold over the history of ' .. sku, sum)
    checkInteger('squared daily units of ' .. sku, squares)
    local n = #write
    write[n + 1], write[n + 2], write[n + 3], write[n + 4] = 'sr', string.format('%.17g', rate), 'st', int(rateAt)
    write[n + 5], write[n + 6], write[n + 7], write[n + 8] = 'dd', int(day), 'dq', int(dayUnits)
    write[n + 9], write[n + 10], write[n + 11], write[n + 12] = 'dn', int(days), 'ds', int(sum)
    write[n + 13], write[n + 14] = 'd2', int(squares)
  end
  if leadTime ~= nil then
    write[#write + 1] = 'lt'
    write[#write + 1] = tostring(leadTime)
  end
  if computed ~= nil then
    checkInteger('computed reorder point of ' .. sku, computed)
    write[#write + 1] = 'rc'
    write[#write + 1] = int(computed)
  end
  -- The notice row ends with the computed reorder point, so readers get it with the stock fields.
  row[11] = computed ~= nil and int(computed) or ''

  -- Totals: take the SKU's old contribution out and put the new one in.
  local oldComputed = tonumber(f[8])
  if before.existed then
    local oldPoint = before.reorderPoint or oldComputed
    local oldAvailable = before.onHand - before.committed
    addTotals(location, -1, before.onHand, math.max(before.onHand, 0) * (before.unitCost or 0),
      before.active and oldPoint ~= nil and oldAvailable <= oldPoint, before.active and oldAvailable <= 0, before.active)
  end
  local point = reorderPoint or computed
  local available = onHand - committed
  checkInteger('available of ' .. sku .. ' at ' .. location, available)
  addTotals(location, 1, onHand, math.max(onHand, 0) * (unitCost or 0),
    active and point ~= nil and available <= point, active and available <= 0, active)

  -- Alerts (alert-rules.ts evaluateAlerts): each crossing once, re-armed by climbing back.
  local lowRaised, outSince = f[10] == '1', tonumber(f[11] or '')
  local crossings = {}
  if not active then
    lowRaised, outSince = false, nil
  else
    if point ~= nil then
      if available <= point and not lowRaised then
        lowRaised = true
        crossings[#crossings + 1] = { 'low_stock', cjson.null }
      elseif available > point and lowRaised then
        lowRaised = false
      end
    end
    if available <= 0 and outSince == nil then
      outSince = at
      crossings[#crossings + 1] = { 'out_of_stock', cjson.null }
    elseif available > 0 and outSince ~= nil then
      crossings[#crossings + 1] = { 'back_in_stock', math.max(at - outSince, 0) }
      outSince = nil
    end
  end
  write[#write + 1] = 'la'
  write[#write + 1] = lowRaised and '1' or '0'
  write[#write + 1] = 'os'
  write[#write + 1] = outSince and int(outSince) or ''
  stockWrites[#stockWrites + 1] = { key, write, computed == nil and f[8] }
  for _, crossing in ipairs(crossings) do
    batchAlerts[#batchAlerts + 1] = cjson.encode({
      id = agg.batch .. '|' .. crossing[1] .. '|' .. location .. '|' .. sku,
      kind = crossing[1], sku = sku, location = location, available = available,
      reorderPoint = point or cjson.null, at = at, stockoutMs = crossing[2],
    })
  end
end

-- Windows: cells older than the allowed lateness (by the watermark before this batch) are only counted
-- in the windows' late fields (lo lr lu lc ln), which window reads leave out and reconcile adds back, as
-- MySQL keeps every event in its minute. Cells are summed per bucket first (several minutes and sources
-- share a quarter and the '*' buckets), then each bucket is written once.
for _, id in ipairs(cellOrder) do
  local cell = cells[id]
  if aggWatermarkBefore ~= nil and cell.minute + MINUTE + agg.latenessMs <= aggWatermarkBefore then
    if cell.n > 0 then
      addTotal('late:' .. cell.source, cell.n)
      addTotal('late:*', cell.n)
    end
    if cell.o ~= 0 or cell.r ~= 0 or cell.u ~= 0 or cell.c ~= 0 or cell.n ~= 0 then
      for _, size in ipairs({ MINUTE, QUARTER }) do
        local start = math.floor(cell.minute / size) * size
        -- Buckets already past retention are not created again.
        if start >= aggWatermarkAfter - agg.retentionMs then
          for _, source in ipairs({ cell.source, '*' }) do
            local bucket = bucketOf(size, source, start)
            bucket.lo, bucket.lr, bucket.lu = bucket.lo + cell.o, bucket.lr + cell.r, bucket.lu + cell.u
            bucket.lc, bucket.ln = bucket.lc + cell.c, bucket.ln + cell.n
          end
        end
      end
    end
  else
    for _, size in ipairs({ MINUTE, QUARTER }) do
      local start = math.floor(cell.minute / size) * size
      for _, source in ipairs({ cell.source, '*' }) do
        local bucket = bucketOf(size, source, start)
        bucket.onTime = true
        bucket.o, bucket.r, bucket.u = bucket.o + cell.o, bucket.r + cell.r, bucket.u + cell.u
        bucket.c, bucket.n = bucket.c + cell.c, bucket.n + cell.n
        for _, sku in ipairs(cell.skuOrder) do
          local totals, summed = cell.skus[sku], bucket.skus[sku]
          if summed == nil then
            bucket.skus[sku] = { totals[1], totals[2] }
            bucket.skuOrder[#bucket.skuOrder + 1] = sku
          else
            summed[1], summed[2] = summed[1] + totals[1], summed[2] + totals[2]
          end
        end
      end
    end
  end
end

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

// Reads version, watermark and every stock row (optionally of one location) atomically: per row the
// stock fields and the computed reorder point.
// KEYS: 1 version, 2 watermark, 3 stock index; ARGV: 1 stock key prefix, 2 location ('' = all)
export const READ_SNAPSHOT_SCRIPT = String.raw`
local members = redis.call('ZRANGE', KEYS[3], 0, -1)
local wanted, fields = {}, {}
local suffix = '	' .. ARGV[2]
for _, member in ipairs(members) do
  if ARGV[2] == '' or string.sub(member, -#suffix) == suffix then
    local sku, location = string.match(member, '^(.*)	(.*)$')
    local values = redis.call('HMGET', ARGV[1] .. location .. ':' .. sku, 'on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le',
      'rc')
    wanted[#wanted + 1] = member
    for i = 1, 9 do fields[#fields + 1] = values[i] or false end
  end
end
return { redis.call('GET', KEYS[1]) or false, redis.call('GET', KEYS[2]) or false, wanted, fields }
`;
