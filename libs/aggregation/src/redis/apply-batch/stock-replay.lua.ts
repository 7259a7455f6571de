/**
 * Replays each changed SKU's ops on its stored state (read once) and checks every intermediate value;
 * the new rows and each SKU's state before and after are kept for the sections below.
 */
export const STOCK_REPLAY_LUA = String.raw`
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
`;
