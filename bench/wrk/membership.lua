-- Group membership writes for wrk: PUT and DELETE /api/v1/groups/{g}/members/{u}, each a durable
-- store write, over a fixed set of (group, user) pairs.
--
-- Every wrk thread owns its own slice of the pairs and walks it in order: one sweep adds every
-- pair of the slice, the next sweep removes them, and so on. Requests in flight at the same time
-- are consecutive in that walk, so as long as a slice holds many more pairs than the thread has
-- connections, concurrent requests hit different pairs, and every request really changes a row.
--
-- Environment:
--   HERALD_BENCH_TOKEN    an admin's bearer token (required)
--   HERALD_BENCH_PAIRS    a file with one "GROUP_ID USER_ID" pair a line (required)
--   HERALD_BENCH_THREADS  the -t given to wrk (default 1), to cut the pairs into slices
--
-- Usage: wrk -t1 -c64 -d10s --latency -s bench/wrk/membership.lua http://127.0.0.1:PORT

local threads_created = 0

local function required_env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error(name .. " is not set")
  end
  return value
end

-- Runs in wrk's main thread once per thread, before it starts: numbers the threads.
function setup(thread)
  thread:set("thread_index", threads_created)
  threads_created = threads_created + 1
end

local paths = {}
local headers = {}
local counter = 0

-- Runs in each thread: loads the pairs this thread owns.
function init(args)
  local index = thread_index or 0
  local thread_count = tonumber(os.getenv("HERALD_BENCH_THREADS") or "1") or 1
  headers["Authorization"] = "Bearer " .. required_env("HERALD_BENCH_TOKEN")

  local file_name = required_env("HERALD_BENCH_PAIRS")
  local file = io.open(file_name, "r")
  if file == nil then
    error("cannot open " .. file_name)
  end
  local line_number = 0
  for line in file:lines() do
    local group, user = line:match("^(%S+)%s+(%S+)$")
    if group ~= nil then
      if line_number % thread_count == index then
        paths[#paths + 1] = "/api/v1/groups/" .. group .. "/members/" .. user
      end
      line_number = line_number + 1
    end
  end
  file:close()
  if #paths == 0 then
    error("no (group, user) pairs for thread " .. index .. " in " .. file_name)
  end
end

function request()
  local slot = counter % #paths
  local sweep = math.floor(counter / #paths)
  counter = counter + 1
  local method = (sweep % 2 == 0) and "PUT" or "DELETE"
  return wrk.format(method, paths[slot + 1], headers)
end
