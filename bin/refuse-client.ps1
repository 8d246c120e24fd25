# Used by mcp-policy-proxy.cmd when it cannot run the proxy: answers the MCP client's first request
# with a JSON-RPC error (-32002) whose message is $env:WHY, echoing the request's id, so that the
# client shows the reason instead of a closed pipe. Reads at most 1000 lines.
$message = 'mcp-policy-proxy: ' + $env:WHY
for ($i = 0; $i -lt 1000; $i++) {
  $line = [Console]::In.ReadLine()
  if ($null -eq $line) { break }
  try { $frame = $line | ConvertFrom-Json } catch { continue }
  if ($frame -is [array] -or $null -eq $frame.method -or $null -eq $frame.id) { continue }
  $id = ConvertTo-Json -InputObject $frame.id -Compress
  $text = ConvertTo-Json -InputObject $message -Compress
  [Console]::Out.Write('{"jsonrpc":"2.0","id":' + $id + ',"error":{"code":-32002,"message":' + $text + "}}`n")
  [Console]::Out.Flush()
  break
}
