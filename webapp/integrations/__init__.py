"""HTTP clients for the outside providers: Zalo login (OAuth v4 + PKCE), Zalo ZNS template
messages, eSMS.vn's brand-name SMS API and a generic SMS gateway protocol.

Each client is plain Python with no Flask dependency, built from configuration by whoever wires
it in, so it can be switched on per deployment and pointed at the local fakes in tests.
"""
