/**
 * Per changed SKU: cost of goods sold, demand and the computed reorder point (forecast.ts), the stock
 * totals' old and new contribution, and the alert crossings (alert-rules.ts), all kept for phase 2.
 */
export const SKU_OUTCOMES_LUA = String.raw`
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
`;
