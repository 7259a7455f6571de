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
