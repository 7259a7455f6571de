/**
 * Sums the batch's window cells into their minute and quarter buckets; cells past the allowed lateness
 * only count in the buckets' late fields.
 */
export const WINDOW_CELLS_LUA = String.raw`
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
`;
