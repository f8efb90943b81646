-- Headless Neovim attaches `apig-lint lsp` to a YAML channel, checks the diagnostics it shows
-- and applies a quick fix. Run by tests/neovim/run.sh; written for Neovim 0.7 (Debian 12's),
-- so `vim.lsp.start_client` rather than the later `vim.lsp.start`.
local binary = os.getenv('APIG_LINT')
local file = os.getenv('CHANNEL')

local function fail(message)
  io.stderr:write('FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'yaml'
local client_id = vim.lsp.start_client({
  name = 'apig-lint',
  cmd = { binary, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
if not client_id then fail('the client did not start') end
vim.lsp.buf_attach_client(bufnr, client_id)

local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out[#out + 1] = string.format('%s@%d:%d', d.code or d.user_data and d.user_data.lsp.code or '?', d.lnum, d.col)
  end
  table.sort(out)
  return table.concat(out, ' ')
end

if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
  fail('no diagnostics arrived')
end
local shown = codes()
print('diagnostics: ' .. shown)
-- The deprecated `type` on line 5, the bad host on line 7 and the timeout above its interval on
-- line 13 (0-based 4, 6, 12).
for _, expected in ipairs({ 'AL202@4:0', 'AL401@12:11', 'AL303@6:10' }) do
  if not shown:find(expected, 1, true) then fail('expected ' .. expected .. ' in ' .. shown) end
end

-- The quick fixes on the AL401 line; apply the suppression.
local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = { start = { line = 12, character = 11 }, ['end'] = { line = 12, character = 11 } },
  context = { diagnostics = {}, only = { 'quickfix' } },
}
local response = client.request_sync('textDocument/codeAction', params, 10000, bufnr)
if not response or response.err or not response.result then fail('no code actions') end
local chosen
for _, action in ipairs(response.result) do
  print('action: ' .. action.title)
  if action.title:find('AL401', 1, true) then chosen = action end
end
if not chosen then fail('no action for AL401') end
vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
local inserted = vim.api.nvim_buf_get_lines(bufnr, 12, 13, false)[1]
if inserted ~= '  # apig-lint: ignore AL401 -- ' then fail('inserted: ' .. tostring(inserted)) end
-- Give the reason; the server re-lints the change and the finding goes away.
vim.api.nvim_buf_set_lines(bufnr, 12, 13, false, { '  # apig-lint: ignore AL401 -- slow backend, agreed with ops' })
local gone = vim.wait(20000, function() return not codes():find('AL401', 1, true) end, 50)
if not gone then fail('AL401 still shown after the suppression: ' .. codes()) end
print('after the fix: ' .. codes())
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
