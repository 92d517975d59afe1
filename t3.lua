for _, p in ipairs{"//127.0.0.1:47999/v1/x", "/@127.0.0.1:47999/v1/x", "/v1/assistants/../../x", "/v1/assistants?limit=1#frag", "/v1/assistants?limit=1&limit=2", "/v1/assistants/ü", "/v1/assist ants", "/v1/assistants\n", "/v1/assistants\r\nX-Evil: 1", "/%2e%2e/x", "/v1/assistants?limit=-1", "/v1/assistants?limit=100000000000000000000"} do
  local ok, r = pcall(flireo.request, "GET", p)
  print(("%q"):format(p), ok, ok and (r.meta and r.meta.total or json.encode(r)):sub(1,80) or tostring(r))
end
