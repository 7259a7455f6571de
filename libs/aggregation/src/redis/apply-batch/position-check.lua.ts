/**
 * Phase 1 opens with fencing and position: a caller that lost the shard's lease is fenced, a batch behind
 * the checkpoint is a duplicate, and one that does not start at the checkpoint is out of order.
 */
export const POSITION_CHECK_LUA = String.raw`
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
`;
