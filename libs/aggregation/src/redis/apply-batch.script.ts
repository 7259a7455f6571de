// The atomic batch apply, kept as Lua source beside its TypeScript caller.
export const APPLY_BATCH_SCRIPT = String.raw`
-- Applies one folded batch of one shard in a single atomic step:
-- (1) fencing: the caller must still hold the shard's lease with the same epoch,
-- (2) the batch must start exactly at the shard's checkpoint (or be entirely behind it: a duplicate),
-- (3) stock ops are replayed against the stored state, (4) the checkpoint advances,
-- (5) a change notice with the new rows goes to the change stream, dead letters to theirs.
--
-- KEYS: 1 checkpoint, 2 lease, 3 version, 4 watermark, 5 changes stream, 6 stock index, 7 dead-letter stream
-- ARGV: 1 owner, 2 epoch, 3 after seq ('' = shard start), 4 after sub, 5 last seq, 6 last sub,
--       7 stock key prefix, 8 changes JSON, 9 max event time ('' = none), 10 now (ms), 11 shard end ('1'/'0'),
--       12 dead letters JSON, 13 stream max length,
--       14 dedupe key prefix, 15 dedupe window ms ('0' = off), 16 producer event ids JSON (see the ingest section)

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

-- >>> ingest: producer-retry dedupe (docs/ingest.md) >>>
-- The same event_id under a new sequence number is a producer retry. Ids are kept in time buckets
-- (window / 4 wide; the last 5 are checked, covering at least the window). If any id of this batch
-- was seen, nothing is applied and the seen ids are returned: the worker folds the batch again
-- without them and calls again. Check and record happen in this one atomic step, after fencing.
local dedupeWindow = tonumber(ARGV[15]) or 0
local dedupeIds = cjson.decode(ARGV[16] or '[]')
if dedupeWindow > 0 and #dedupeIds > 0 then
  local bucketMs = math.ceil(dedupeWindow / 4)
  local current = math.floor(tonumber(ARGV[10]) / bucketMs)
  local seen = {}
  for bucket = current - 4, current do
    local key = ARGV[14] .. bucket
    for first = 1, #dedupeIds, 1000 do
      local chunk = { unpack(dedupeIds, first, math.min(first + 999, #dedupeIds)) }
      local found = redis.call('SMISMEMBER', key, unpack(chunk))
      for index, member in ipairs(found) do
        if member == 1 then seen[#seen + 1] = chunk[index] end
      end
    end
  end
  if #seen > 0 then
    return { 'seen', unpack(seen) }
  end
  local key = ARGV[14] .. current
  for first = 1, #dedupeIds, 1000 do
    redis.call('SADD', key, unpack(dedupeIds, first, math.min(first + 999, #dedupeIds)))
  end
  redis.call('PEXPIRE', key, dedupeWindow + 2 * bucketMs)
end
-- <<< ingest: producer-retry dedupe <<<

local rows = {}
for _, change in ipairs(cjson.decode(ARGV[8])) do
  local sku, location = change[1], change[2]
  local key = ARGV[7] .. location .. ':' .. sku
  local h = redis.call('HMGET', key, 'on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le')
  local onHand, committed = tonumber(h[1]) or 0, tonumber(h[2]) or 0
  local unitCost, unitPrice, reorderPoint = tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
  local active, name, lastEventAt = h[6] ~= '0', h[7] or '', tonumber(h[8]) or 0
  for _, op in ipairs(change[4]) do
    local kind = op[1]
    if kind == 'a' then
      onHand = onHand + op[2]
      committed = committed + op[3]
    elseif kind == 's' then
      onHand = op[2]
    elseif kind == 'r' then
      if onHand <= 0 or unitCost == nil then
        unitCost = op[3]
      else
        unitCost = math.floor((onHand * unitCost + op[2] * op[3]) / (onHand + op[2]) + 0.5)
      end
      onHand = onHand + op[2]
    elseif kind == 'd' then
      name, onHand, active = op[2], op[3], true
      if op[4] ~= cjson.null then unitPrice = op[4] end
      if op[5] ~= cjson.null then unitCost = op[5] end
      if op[6] ~= cjson.null then reorderPoint = op[6] end
    elseif kind == 'x' then
      onHand, active = 0, false
    end
  end
  if change[3] > lastEventAt then lastEventAt = change[3] end
  local row = {
    sku, location, int(onHand), int(committed),
    unitCost and int(unitCost) or '', unitPrice and int(unitPrice) or '', reorderPoint and int(reorderPoint) or '',
    active and '1' or '0', name, int(lastEventAt),
  }
  redis.call('HSET', key, 'on', row[3], 'cm', row[4], 'uc', row[5], 'up', row[6], 'rp', row[7], 'ac', row[8],
    'nm', row[9], 'le', row[10])
  redis.call('ZADD', KEYS[6], 0, sku .. '\t' .. location)
  rows[#rows + 1] = row
end

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
    'rows', cjson.encode(rows))
end
return { 'applied', int(version) }
`;

// Reads version, watermark and every stock row (optionally of one location) atomically.
// KEYS: 1 version, 2 watermark, 3 stock index; ARGV: 1 stock key prefix, 2 location ('' = all)
export const READ_SNAPSHOT_SCRIPT = String.raw`
local members = redis.call('ZRANGE', KEYS[3], 0, -1)
local wanted, fields = {}, {}
local suffix = '	' .. ARGV[2]
for _, member in ipairs(members) do
  if ARGV[2] == '' or string.sub(member, -#suffix) == suffix then
    local sku, location = string.match(member, '^(.*)	(.*)$')
    local values = redis.call('HMGET', ARGV[1] .. location .. ':' .. sku, 'on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le')
    wanted[#wanted + 1] = member
    for i = 1, 8 do fields[#fields + 1] = values[i] or false end
  end
end
return { redis.call('GET', KEYS[1]) or false, redis.call('GET', KEYS[2]) or false, wanted, fields }
`;
