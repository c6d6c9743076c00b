"""HTTP clients for the outside providers: Zalo login (OAuth v4 + PKCE), Zalo ZNS template
messages and a brand-name SMS gateway.

Each client is plain Python with no Flask dependency, built from configuration by whoever wires
it in, so it can be switched on per deployment and pointed at the local fakes in tests.
"""
