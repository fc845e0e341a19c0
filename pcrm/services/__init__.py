"""Use cases: one function per user action, shared by the CLI, the API, the daemon and MCP.

Each takes a Context first and returns a Result (the envelope's data and meta), or raises PcrmError.
"""
