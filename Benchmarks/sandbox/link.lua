-- wrk script: POST /v1/assistants/{id}/phone-number as fast as the sandbox takes it.
-- Each request links the shared default number to the next assistant of a list; that
-- releases the assistant that held it, so every request is a real, successful link.
-- Usage: wrk -s link.lua URL -- ASSISTANT_IDS_FILE DEFAULT_NUMBER_ID API_KEY [GET]
-- With GET as a fourth argument it reads each assistant's link instead (no body).
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  body = '{"phone_number_id":"' .. args[2] .. '"}'
  method = args[4] or "POST"
  if method == "GET" then
    body = nil
    headers = { ["Authorization"] = "Bearer " .. args[3], ["Accept"] = "application/json" }
  else
    headers = { ["Authorization"] = "Bearer " .. args[3], ["Content-Type"] = "application/json" }
  end
  -- Each of the (at most two) threads walks its own half of the list, so an assistant comes
  -- back only after many other links: it never holds the number already (no already_linked).
  half = math.floor(#ids / 2)
  base = (thread_index or 0) % 2 * half
  counter = 0
end

function request()
  counter = counter % half + 1
  return wrk.format(method, "/v1/assistants/" .. ids[base + counter] .. "/phone-number", headers, body)
end
