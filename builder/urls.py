"""Credentials in URLs: the one rule that keeps logins, keys and session ids out of a published dataset.

Scraped metadata carries them: a sidecar URL such as ``https://jdoe:s3cretpass@www.example.com/a?token=abc&id=7``
logs its reader in as someone. The rule, applied wherever factpack meets a URL:

* the *userinfo* (``user:password@``, or a lone ``user@``, often a token itself) is taken out of the authority;
* a query or fragment parameter, or a path parameter (``/a;jsessionid=…``), whose name is in
  :data:`CREDENTIAL_PARAMETERS` is taken out with its value. Names are matched whole, case-insensitively, after
  percent-decoding; ``&`` and ``;`` both separate query parameters. A fragment is read as parameters only when it
  holds a ``=`` (OAuth's implicit flow puts ``#access_token=…`` there);

and nothing else changes: the other parameters keep their order, spelling and encoding, byte for byte. A query or
fragment left empty loses its ``?`` or ``#``.

Where the rule acts (see :mod:`builder.validate`): an article's ``url``, curated or read off the text, is
stripped before anything is cached or written, and the build report and the card count what was taken (never a
value). The article text is published byte for byte and never edited, so a text holding such a URL is rejected
instead, naming the character; ``factpack verify`` reports any published value holding one (``url-credential``).
Messages that could quote an input value go through :func:`mask`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from builder.models.reports import StrippedCredentials

__all__ = [
    "CREDENTIAL_PARAMETERS",
    "CredentialTally",
    "Found",
    "credentials_in",
    "describe",
    "find_credentials",
    "mask",
    "rule",
    "strip_credentials",
]

CREDENTIAL_PARAMETERS: dict[str, str] = {
    # Bearer tokens: whoever holds one is the user until it expires.
    "token": "a bearer token under its generic name",
    "access_token": "OAuth 2.0 bearer token (RFC 6750 allows it in the query)",
    "refresh_token": "OAuth 2.0 refresh token: mints new access tokens, long-lived",
    "id_token": "OpenID Connect identity token: signed claims about the user",
    "auth": "an authentication token under a generic name",
    "auth_token": "an authentication token",
    "authtoken": "an authentication token",
    "oauth_token": "OAuth 1.0 access token",
    "oauth_signature": "OAuth 1.0 request signature",
    "private_token": "GitLab personal access token",
    # Keys: they identify and bill an account.
    "key": "API key (Google APIs name it 'key')",
    "api_key": "API key",
    "apikey": "API key",
    "api-key": "API key",
    "access_key": "an access key",
    "secret": "a shared secret",
    "client_secret": "OAuth client secret",
    "secret_key": "a secret key",
    # Signed URLs: the signature grants access to the object until it expires.
    "sig": "Azure SAS signature",
    "signature": "CloudFront or AWS (v2) signed-URL signature",
    "awsaccesskeyid": "AWS (v2) signed URL: the access key id beside the signature",
    "x-amz-signature": "AWS (SigV4) presigned URL: its signature",
    "x-amz-credential": "AWS (SigV4) presigned URL: access key id, date and region",
    "x-amz-security-token": "AWS (SigV4) presigned URL: the temporary session token",
    "x-goog-signature": "Google Cloud Storage signed URL: its signature",
    "x-goog-credential": "Google Cloud Storage signed URL: the service account",
    # Passwords.
    "password": "a password",
    "passwd": "a password",
    "pwd": "a password",
    "pass": "a password",
    # Session ids: a live one is a logged-in session anyone can take over.
    "session": "a session id under a generic name",
    "sessionid": "a session id (Django's cookie name)",
    "session_id": "a session id",
    "sid": "a session id (phpBB and PHP's trans_sid); also some sites' story id, which is lost: a URL's "
    "reader is not worth a session",
    "jsessionid": "Java servlet session id (also as a path parameter, ';jsessionid=')",
    "phpsessid": "PHP session id",
    "aspsessionid": "classic ASP session id",
    "cfid": "ColdFusion session id, sent with CFTOKEN",
    "cftoken": "ColdFusion session token",
}
"""Every parameter the rule takes out, with why. Not listed, on purpose: ``code`` (an OAuth authorization code, but
also a country, product or error code in news URLs; single-use anyway), ``state`` and ``nonce`` (OAuth values that
grant nothing), ``ticket`` (single-use), CloudFront's ``Key-Pair-Id`` and ``Expires`` (public once the signature is
gone), and tracking parameters (``utm_*``, ``fbclid``), which are not credentials."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_SEPARATOR = re.compile(r"([&;])")
_PATH_PARAMETER = re.compile(r";([^;/?#=]*)=[^;/?#]*")
# A URL in running text ends at white space or an angle bracket, as the URL read off a text does (builder.clean):
# wider than a URL's own characters, so that every URL factpack could take from a text is seen whole.
_IN_TEXT = re.compile(r"[^\s<>]*")
_WWW = re.compile(r"(?<![A-Za-z0-9.\-])www\.", re.IGNORECASE)
_HF_TOKEN = re.compile(r"hf_[A-Za-z0-9]{6,}")


@dataclass(frozen=True)
class Found:
    """What the rule takes out of one URL: a login, and the listed names of the parameters (in URL order, once
    each). Never a value."""

    login: bool = False
    parameters: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.login or bool(self.parameters)


NOTHING = Found()


def _listed(name: str) -> str | None:
    """The listed name ``name`` stands for, if any (percent-decoded, lower case)."""
    plain = unquote(name).strip().lower()
    return plain if plain in CREDENTIAL_PARAMETERS else None


def _parameters(part: str, names: list[str]) -> str:
    """``part`` (a query or a fragment) without its listed parameters, separators kept; their names to ``names``."""
    pieces = _SEPARATOR.split(part)  # [item, separator, item, separator, item, …]
    kept: list[str] = []
    for index in range(0, len(pieces), 2):
        item = pieces[index]
        name = _listed(item.split("=", 1)[0]) if "=" in item else None
        if name is not None:
            names.append(name)
            continue
        if kept:  # the separator before it; the first item kept has none
            kept.append(pieces[index - 1])
        kept.append(item)
    return "".join(kept)


def strip_credentials(url: str) -> tuple[str, Found]:
    """``url`` without its login and listed parameters, every other character as it was; and what was taken."""
    login = False
    rest_at = 0
    scheme = _SCHEME.match(url)
    if scheme is not None and url.startswith("//", scheme.end()):
        authority_at = scheme.end() + 2
        authority_end = _end_of(url, authority_at, "/?#")
        at = url.rfind("@", authority_at, authority_end)
        if at > authority_at:
            login = True
            url = url[:authority_at] + url[at + 1 :]
            authority_end -= at + 1 - authority_at
        rest_at = authority_end
    head, rest = url[:rest_at], url[rest_at:]
    fragment_at = rest.find("#")
    fragment = rest[fragment_at + 1 :] if fragment_at >= 0 else None
    before_fragment = rest if fragment_at < 0 else rest[:fragment_at]
    query_at = before_fragment.find("?")
    query = before_fragment[query_at + 1 :] if query_at >= 0 else None
    path = before_fragment if query_at < 0 else before_fragment[:query_at]
    names: list[str] = []

    def path_parameter(match: re.Match[str]) -> str:
        name = _listed(match.group(1))
        if name is None:
            return match.group()
        names.append(name)
        return ""

    path = _PATH_PARAMETER.sub(path_parameter, path)
    stripped = head + path
    if query is not None:
        kept = _parameters(query, names)
        stripped += f"?{kept}" if kept or not query else ""
    if fragment is not None:
        kept = _parameters(fragment, names) if "=" in fragment else fragment
        stripped += f"#{kept}" if kept or not fragment else ""
    found = Found(login, tuple(dict.fromkeys(names)))
    return (stripped, found) if found else (url, NOTHING)  # nothing found: the URL was not touched


def _end_of(text: str, start: int, stops: str) -> int:
    ends = [at for at in (text.find(stop, start) for stop in stops) if at >= 0]
    return min(ends, default=len(text))


def find_credentials(text: str) -> Iterator[tuple[int, Found]]:
    """Every URL in running ``text`` that carries a login or a listed parameter, other than one masked already
    (``https://***@host/?token=***``): its character offset (where its scheme, or its ``www.``, starts) and what
    it carries. Linear in the text: a URL found is read once, and a
    ``://`` inside it starts no other."""
    done = 0
    starts: list[tuple[int, int]] = []  # (url start, where the part after '://' or 'www.' starts)
    at = text.find("://")
    while at >= 0:
        start = at
        while start > 0 and at - start < 32 and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        if start < at:
            starts.append((start, at + 3))
        at = text.find("://", at + 3)
    starts += [(match.start(), match.end()) for match in _WWW.finditer(text)]
    for start, body in sorted(starts):
        if start < done:
            continue  # inside the URL found before
        token = _IN_TEXT.match(text, body)
        end = token.end() if token is not None else body
        url = text[start:end]
        done = end
        if not url.lower().startswith("www."):
            _, found = strip_credentials(url)
        else:
            _, found = strip_credentials(f"http://{url}")
        if found and mask(url) != url:  # a URL already masked (a rejection's reason quoting one) holds no secret
            yield start, found


def credentials_in(text: str) -> Iterator[str]:
    """Where each credential URL in ``text`` is and what it holds, for a message that must never quote it:
    ``character 12: a URL here holds a login (user:password@) and the parameter 'token'``."""
    for offset, found in find_credentials(text):
        yield f"character {offset}: a URL here holds {describe(found)}"


def describe(found: Found) -> str:
    """What a URL carries, for a message: ``a login (user:password@) and the parameter 'token'``; never a value."""
    parts = ["a login (user:password@)"] if found.login else []
    if found.parameters:
        names = ", ".join(f"'{name}'" for name in found.parameters)
        parts.append(("the parameters " if len(found.parameters) > 1 else "the parameter ") + names)
    return " and ".join(parts)


_MASK_LOGIN = re.compile(r"(?<=://)[^\s/?#@]*@")
_MASK_PARAMETER = re.compile(r"(?<=[?&;#])([^\s?&;#=/]+)=([^\s&;#'\"]*)")


def mask(message: str, token: str | None = None) -> str:
    """``message`` with the secret of every URL in it masked (a login becomes ``***@``, a listed parameter's value
    ``***``), and any Hugging Face token (``hf_…``, and ``token`` itself when given) replaced by ``hf_***``: for
    text that may quote an input value or a server's answer."""
    masked = _MASK_LOGIN.sub("***@", message) if "://" in message else message
    if "=" in masked:

        def parameter(match: re.Match[str]) -> str:
            return f"{match.group(1)}=***" if _listed(match.group(1)) is not None else match.group()

        masked = _MASK_PARAMETER.sub(parameter, masked)
    if token:
        masked = masked.replace(token, "hf_***")
    return _HF_TOKEN.sub("hf_***", masked)


def rule() -> str:
    """The rule in one sentence, with every listed name: for the card."""
    names = ", ".join(f"`{name}`" for name in CREDENTIAL_PARAMETERS)
    return (
        "Every article URL loses its login (`user:password@`) and its query, fragment and path parameters named "
        f"{names} (case-insensitive), the rest of it kept byte for byte; an article whose text holds such a URL "
        "is rejected, since the text is published unedited"
    )


class CredentialTally:
    """What the rule took out of a build's URLs, added up article by article."""

    def __init__(self) -> None:
        self.urls = 0
        self.logins = 0
        self.parameters: Counter[str] = Counter()

    def add(self, found: Found) -> None:
        if found:
            self.urls += 1
            self.logins += found.login
            self.parameters.update(found.parameters)

    def report(self) -> StrippedCredentials:
        return StrippedCredentials(urls=self.urls, logins=self.logins, parameters=dict(sorted(self.parameters.items())))
