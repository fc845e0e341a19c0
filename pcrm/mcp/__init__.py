"""The MCP server: pcrm for AI agents [mcp-server].

Tools over the same service functions as the CLI and the API, served over stdio (`pcrm mcp`, for desktop
agents) and over streamable HTTP at `/mcp` on the daemon (with the MCP key). Read tools always; write
tools only once the user sets `mcp.allow_writes` [agent-writes]; every piece of contact text an agent
gets is marked as untrusted data [untrusted-text].

Only this package imports the `mcp` SDK (an import-linter contract), and nothing imports this package at
CLI start-up: the SDK costs about half a second to import. This file imports nothing.
"""
