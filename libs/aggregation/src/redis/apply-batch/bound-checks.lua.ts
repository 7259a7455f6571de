/**
 * Decodes the aggregation parameters (the last argument) and defines how phase 1 refuses a batch: the
 * first broken bound is kept as the reason, so every later check can run without stopping the script.
 */
export const BOUND_CHECKS_LUA = String.raw`
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
`;
