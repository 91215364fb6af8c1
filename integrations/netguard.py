"""Where a webhook may go: http(s) only, never the server itself, a private, link-local or metadata address,
unless an administrator allows private networks (FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS).

The host is resolved once per send and the connection goes to the address that was checked (the Host header and
TLS name stay the URL's), so a name that answers a public address to the check and a private one to the connect
(DNS rebinding) reaches nothing.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Cloud metadata services that do not sit in a non-global range on every network.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),
    }
)


@dataclass(frozen=True)
class Destination:
    """A checked URL: the address to connect to and what the request must still say (host, port, path)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def private_networks_allowed() -> bool:
    """Tell whether an administrator allowed webhooks to private networks and this server."""
    return bool(getattr(settings, "FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", False))


def _split(url: str):
    """Return (scheme, host, port, path) of a URL, or refuse it in words."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("A webhook URL must start with http:// or https://."))
    if not parts.hostname:
        raise ValidationError(_("Enter a valid URL."))
    if parts.username or parts.password:
        raise ValidationError(_("A webhook URL may not hold a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname.rstrip(".").lower(), port, path


def _refused(address) -> bool:
    """Tell whether an address is private, loopback, link-local, reserved, multicast or a metadata service."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address in METADATA_ADDRESSES or not address.is_global or address.is_multicast


def _own_addresses() -> set:
    """Return this server's own addresses (its host name and the base URL's host), best effort."""
    names = {socket.gethostname(), urlsplit(settings.FORGELINE_BASE_URL).hostname or ""}
    found = set()
    for name in filter(None, names):
        try:
            found |= {info[4][0] for info in socket.getaddrinfo(name, None)}
        except (OSError, UnicodeError):
            continue
    return {ipaddress.ip_address(address.split("%")[0]) for address in found}


def _resolve(host: str, port: int) -> list:
    """Return every address `host` resolves to (a literal address is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(_("The host %(host)s could not be found.") % {"host": host}) from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def _check_addresses(host: str, addresses: list) -> None:
    if private_networks_allowed():
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise ValidationError(_("A webhook may not point to this server."))
    own = _own_addresses()
    for address in addresses:
        if address in own or address.is_loopback:
            raise ValidationError(_("A webhook may not point to this server."))
        if _refused(address):
            raise ValidationError(
                _(
                    "A webhook may not point to a private, link-local or metadata address (%(address)s), unless "
                    "an administrator allows private networks in the settings."
                )
                % {"address": address}
            )


def url_check(url: str) -> None:
    """Refuse a webhook URL that is not http(s) or points where webhooks may not go (checked when it is saved).

    A host that does not resolve yet is accepted: every send resolves and checks it again.
    """
    _scheme, host, port, _path = _split(url)
    try:
        addresses = _resolve(host, port)
    except ValidationError:
        if host == "localhost" or host.endswith(".localhost"):
            _check_addresses(host, [])
        return
    _check_addresses(host, addresses)


def destination_resolve(url: str) -> Destination:
    """Resolve a URL once and check every address it gives; return the first, to connect to (at send time)."""
    scheme, host, port, path = _split(url)
    addresses = _resolve(host, port)
    _check_addresses(host, addresses)
    if not addresses:
        raise ValidationError(_("The host %(host)s could not be found.") % {"host": host})
    return Destination(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)
