"""Who the client is, for the growing delays of wrong sign-in tries (services/throttle.py): the
browser's address, as a throttle key (hashed: the address itself is never stored)."""

from __future__ import annotations

import streamlit as st

from amane.services import throttle

# Behind our nginx (deploy/nginx.conf.template) every connection comes from the loopback, and
# nginx names the browser's address in this header. Only a loopback peer is trusted to set it:
# a browser reaching Streamlit directly could write anything there.
REAL_IP_HEADER = "X-Real-IP"
LOCAL = "local"  # no address known (a browser on this machine, or AppTest)


def address() -> str:
    """The browser's address: Streamlit's peer, or nginx's X-Real-IP when the peer is the loopback
    (Streamlit gives None for a loopback peer)."""
    peer = st.context.ip_address
    if isinstance(peer, str) and peer:  # (AppTest's session has a stand-in object here)
        return peer
    forwarded = (st.context.headers.get(REAL_IP_HEADER) or "").strip()
    return forwarded or LOCAL


def key() -> str:
    """This browser's throttle key."""
    return throttle.client_key(address())
