"""Fetch stage: the shared frontier's atomic steps, as Lua scripts run inside Redis."""

# queue -> this worker's in-flight set, in one step (scrapy-redis pops with no trace).
TAKE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('ZADD', KEYS[2], r[2], r[1])
return r[1]
"""
# Seen unless its fingerprint is older than the TTL (ARGV[2] seconds, 0 = never expires).
SEEN = """
local now = tonumber(redis.call('TIME')[1])
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if seen and (ttl <= 0 or now - tonumber(seen) < ttl) then return 1 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 0
"""
# Join the crawl's run, or create it (pointer, seeder) if there is none; register the worker.
# KEYS: pointer; ARGV: new run id, worker id, ttl (0 = keys never expire), run key prefix.
JOIN = """
local now = redis.call('TIME')[1]
local run = redis.call('GET', KEYS[1])
local created = 0
if not run then
  run = ARGV[1]
  created = 1
  redis.call('SET', KEYS[1], run)
  redis.call('SET', ARGV[4] .. run .. ':seeder', ARGV[2])
end
redis.call('HSET', ARGV[4] .. run .. ':workers', ARGV[2], now)
if tonumber(ARGV[3]) > 0 then
  for _, name in ipairs({'seeder', 'workers'}) do
    redis.call('EXPIRE', ARGV[4] .. run .. ':' .. name, ARGV[3])
  end
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return {run, created}
"""
# Which part this worker plays in seeding: the seeder, 'wait' for a live seeder, or 'done'
# (also when the run is over). A seeder that died (dropped from workers by RECOVER) is
# replaced by the asking worker. KEYS: seeded, seeder, workers, pointer; ARGV: worker, run.
SEED_ROLE = """
if redis.call('GET', KEYS[4]) ~= ARGV[2] then return 'done' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'done' end
local seeder = redis.call('GET', KEYS[2])
if seeder == ARGV[1] then return 'seed' end
if seeder and redis.call('HEXISTS', KEYS[3], seeder) == 1 then return 'wait' end
redis.call('SET', KEYS[2], ARGV[1], 'KEEPTTL')
return 'seed'
"""
# KEYS: run pointer, workers, then keys whose TTL to refresh. 0 when the run is over.
HEARTBEAT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], redis.call('TIME')[1])
if tonumber(ARGV[3]) > 0 then
  for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return 1
"""
# Put the in-flight requests of every worker silent for more than ARGV[1] s back in the queue.
RECOVER = """
local now = tonumber(redis.call('TIME')[1])
local moved = 0
local beats = redis.call('HGETALL', KEYS[1])
for i = 1, #beats, 2 do
  if now - tonumber(beats[i + 1]) > tonumber(ARGV[1]) then
    local key = ARGV[2] .. beats[i]
    local taken = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for j = 1, #taken, 2 do
      redis.call('ZADD', KEYS[2], taken[j + 1], taken[j])
      moved = moved + 1
    end
    redis.call('DEL', key)
    redis.call('HDEL', KEYS[1], beats[i])
  end
end
return moved
"""
# Quiet: seeded, queue empty, no worker holds a request. ARGV[2] = 1 ends the run if quiet.
# KEYS: the run's keys (Frontier.run_keys); ARGV: run id, end?, in-flight key prefix.
QUIET = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[4]) == 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
local ids = redis.call('HKEYS', KEYS[3])
for _, id in ipairs(ids) do
  if redis.call('ZCARD', ARGV[3] .. id) > 0 then return 0 end
end
if ARGV[2] == '1' then
  for _, id in ipairs(ids) do redis.call('DEL', ARGV[3] .. id) end
  redis.call('DEL', unpack(KEYS))
end
return 1
"""
