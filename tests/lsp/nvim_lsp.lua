-- tests/lsp/nvim_lsp.lua - a real editor as pgsafe's LSP client (suite lsp).
--
-- Run by tests/lsp/nvim_client.py as
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/lsp/nvim_lsp.lua'
-- with PGSAFE (the binary), PGSAFE_SQL (the file to edit) and PGSAFE_OUT
-- (where to write what happened, as JSON). Uses only what Neovim 0.7 has:
-- vim.lsp.start_client and buf_attach_client (vim.lsp.start is 0.8+).
-- Whatever goes wrong is written to the output and Neovim quits, so the
-- Python side decides pass or fail and its timeout catches a hang.

local out = { steps = {} }

local function step(name, value)
  table.insert(out.steps, name)
  out[name] = value
end

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, code = d.code or lsp.code,
      message = d.message,
    })
  end
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    if a.col ~= b.col then return a.col < b.col end
    return tostring(a.code) < tostring(b.code)
  end)
  return list
end

local function has_code(list, code)
  for _, d in ipairs(list) do
    if d.code == code then return true end
  end
  return false
end

local function run()
  local sql = assert(os.getenv('PGSAFE_SQL'), 'PGSAFE_SQL is not set')
  vim.cmd('edit ' .. vim.fn.fnameescape(sql))
  local bufnr = vim.api.nvim_get_current_buf()

  local exit_code, exit_signal
  local client_id = vim.lsp.start_client({
    name = 'pgsafe',
    cmd = { assert(os.getenv('PGSAFE'), 'PGSAFE is not set'), 'lsp' },
    root_dir = vim.fn.fnamemodify(sql, ':h'),
    on_exit = function(code, signal) exit_code, exit_signal = code, signal end,
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  step('first_diagnostics', diagnostics(bufnr))
  assert(got, 'no diagnostics within 10 s')

  -- hover on the CREATE INDEX statement (line 2 of the file)
  local line = vim.api.nvim_buf_get_lines(bufnr, 1, 2, false)[1]
  local byte = assert(line:find('notes_body_idx', 1, true)) - 1
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 1, character = vim.str_utfindex(line, byte) },
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 5000) or {}
  local hover = res[client_id] and res[client_id].result
  step('hover', hover and hover.contents and hover.contents.value or vim.NIL)

  -- the quick fix for require-concurrent-index, applied as the editor does
  local diag
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (d.code or lsp.code) == 'require-concurrent-index' then diag = d end
  end
  assert(diag, 'no require-concurrent-index diagnostic')
  local range = {
    start = { line = diag.lnum, character = vim.str_utfindex(line, diag.col) },
    ['end'] = { line = diag.end_lnum, character = vim.str_utfindex(line, diag.end_col) },
  }
  res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction',
    { textDocument = params.textDocument, range = range, context = { diagnostics = {} } }, 5000) or {}
  local actions = res[client_id] and res[client_id].result or {}
  local titles = {}
  local fix
  for _, a in ipairs(actions) do
    table.insert(titles, a.title)
    if a.title:find('CONCURRENTLY', 1, true) then fix = a end
  end
  step('action_titles', titles)
  assert(fix, 'no CONCURRENTLY action')
  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  step('fixed_line', vim.api.nvim_buf_get_lines(bufnr, 1, 2, false)[1])

  got = vim.wait(10000, function()
    return not has_code(diagnostics(bufnr), 'require-concurrent-index')
  end, 20)
  step('fixed_diagnostics', diagnostics(bufnr))
  assert(got, 'require-concurrent-index still reported 10 s after the fix')

  -- stop: Neovim sends shutdown, then exit
  vim.lsp.stop_client(client_id)
  got = vim.wait(10000, function() return exit_code ~= nil end, 20)
  step('server_exit', { code = exit_code or vim.NIL, signal = exit_signal or vim.NIL })
  assert(got, 'the server did not exit within 10 s of stop_client')
end

local ok, err = pcall(run)
out.ok = ok
out.error = ok and vim.NIL or tostring(err)
local f = assert(io.open(assert(os.getenv('PGSAFE_OUT')), 'w'))
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qall!')
