"""The URL rule: what is taken out of a URL (a login, each listed parameter), what is kept byte for byte, where a
URL in running text is found, and what a message shows of one."""

from __future__ import annotations

import pytest

from builder.urls import CREDENTIAL_PARAMETERS, CredentialTally, Found, describe, find_credentials, mask, rule
from builder.urls import strip_credentials as strip

ISSUE_URL = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"


LISTED = {
    "token", "access_token", "refresh_token", "id_token", "auth", "auth_token", "authtoken", "oauth_token",
    "oauth_signature", "private_token", "key", "api_key", "apikey", "api-key", "access_key", "secret",
    "client_secret", "secret_key", "sig", "signature", "awsaccesskeyid", "x-amz-signature", "x-amz-credential",
    "x-amz-security-token", "x-goog-signature", "x-goog-credential", "password", "passwd", "pwd", "pass", "session",
    "sessionid", "session_id", "sid", "jsessionid", "phpsessid", "aspsessionid", "cfid", "cftoken",
}  # fmt: skip


def test_the_listed_parameters_are_exactly_these_each_with_its_reason():
    # Pinned here: a name dropped from the table (or added) must be a decision, not an accident.
    assert set(CREDENTIAL_PARAMETERS) == LISTED
    assert all(name == name.lower() and why for name, why in CREDENTIAL_PARAMETERS.items())


def test_the_issue_url_loses_its_login_and_token_and_keeps_the_rest():
    assert strip(ISSUE_URL) == ("https://www.example.com/news/a?id=7", Found(login=True, parameters=("token",)))


@pytest.mark.parametrize("name", sorted(CREDENTIAL_PARAMETERS))
def test_each_listed_parameter_is_taken_out_of_the_query_in_any_case(name):
    for spelled in (name, name.upper(), name.title()):
        url = f"https://news.example/a?id=7&{spelled}=SECRET&page=2"
        assert strip(url) == ("https://news.example/a?id=7&page=2", Found(parameters=(name,)))


@pytest.mark.parametrize("name", sorted(CREDENTIAL_PARAMETERS))
def test_each_listed_parameter_is_taken_out_of_a_fragment_and_a_path(name):
    assert strip(f"https://news.example/a#{name}=SECRET&view=full") == (
        "https://news.example/a#view=full",
        Found(parameters=(name,)),
    )
    assert strip(f"https://news.example/a;{name}=SECRET/b?x=1") == (
        "https://news.example/a/b?x=1",
        Found(parameters=(name,)),
    )


@pytest.mark.parametrize(
    "name",
    ["code", "state", "nonce", "ticket", "utm_source", "fbclid", "id", "keyword", "monkey", "token_type",
     "passage", "sessions", "signed", "key-pair-id", "expires"],
)  # fmt: skip
def test_parameters_not_listed_stay(name):
    url = f"https://news.example/a?{name}=1"
    assert strip(url) == (url, Found())


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        ("https://jdoe@news.example/a", "https://news.example/a"),  # a user alone: often a token itself
        ("https://ghp_abc123@github.com/o/r.git", "https://github.com/o/r.git"),
        ("https://jdoe:pw@news.example:8443/a", "https://news.example:8443/a"),
        ("http://a:b@[2001:db8::1]/x", "http://[2001:db8::1]/x"),
        ("https://us%40er:p%3Aw@news.example", "https://news.example"),
        ("ftp://jdoe:pw@files.example/f.txt", "ftp://files.example/f.txt"),
        ("https://a:b@c@news.example/a", "https://news.example/a"),  # the last '@' ends the userinfo
    ],
)
def test_a_login_is_taken_out_of_the_authority(url, stripped):
    assert strip(url) == (stripped, Found(login=True))


@pytest.mark.parametrize(
    "url",
    [
        "https://medium.com/@jdoe/a-post",  # '@' in the path is no login
        "https://news.example/a?mail=jdoe@example.org",
        "https://news.example/a#@top",
        "mailto:jdoe@example.org",
        "https://@news.example/a",  # an empty userinfo carries nothing
    ],
)
def test_an_at_sign_outside_the_authority_is_no_login(url):
    assert strip(url) == (url, Found())


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        # order, separators, empty items, encodings and '+' of the other parameters are kept byte for byte
        ("https://n.example/a?b=%20x&sig=1;c=a+b&&d", "https://n.example/a?b=%20x;c=a+b&&d"),
        ("https://n.example/a?token=1&b=2", "https://n.example/a?b=2"),
        ("https://n.example/a?b=2&token=1", "https://n.example/a?b=2"),
        ("https://n.example/a?token=1", "https://n.example/a"),  # an emptied query loses its '?'
        ("https://n.example/a?token=1#top", "https://n.example/a#top"),
        ("https://n.example/a#access_token=1", "https://n.example/a"),  # an emptied fragment loses its '#'
        ("https://n.example/a?x=1#access_token=1&token_type=bearer", "https://n.example/a?x=1#token_type=bearer"),
        ("https://n.example/a?%74oken=1&b=2", "https://n.example/a?b=2"),  # the name is matched decoded
        ("https://n.example/a;jsessionid=AB12;v=2?x=1", "https://n.example/a;v=2?x=1"),
        ("https://n.example/A/B?Id=7&X=%2F#Frag", "https://n.example/A/B?Id=7&X=%2F#Frag"),
    ],
)
def test_everything_else_is_kept_byte_for_byte(url, stripped):
    assert strip(url)[0] == stripped


def test_a_fragment_without_parameters_is_left_alone():
    url = "https://n.example/a#token"
    assert strip(url) == (url, Found())


def test_a_url_that_repeats_a_parameter_names_it_once():
    assert strip("https://n.example/?sig=1&sig=2&key=3")[1] == Found(parameters=("sig", "key"))


def test_urls_in_running_text_are_found_at_their_character():
    text = (
        'He said: "see https://jdoe:pw@intranet.example/r?x=1." Then www.example.org/?api_key=K and '
        "<https://ok.example/a?b=c> and (http://n.example/a?token=T), and “https://n.example/?sid=S”."
    )
    found = list(find_credentials(text))
    assert [offset for offset, _ in found] == [
        text.index("https://jdoe"),
        text.index("www.example"),
        text.index("http://n.example"),
        text.index("https://n.example/?sid"),
    ]
    assert [what for _, what in found] == [
        Found(login=True),
        Found(parameters=("api_key",)),
        Found(parameters=("token",)),
        Found(parameters=("sid",)),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("At https://n.example/o'brien?token=T now", "token"),
        ('See "https://n.example/a"?sig=S', "sig"),
        ("(https://n.example/a)?sid=1", "sid"),
    ],
)
def test_a_url_in_text_runs_on_past_quotes_and_brackets(text, name):
    # As the URL read off a text does (builder.clean): a credential after a quote or a bracket is still found.
    assert list(find_credentials(text)) == [(text.index("https://"), Found(parameters=(name,)))]


def test_text_without_a_credential_url_has_none():
    text = "Email jdoe@example.org or see https://news.example/a?id=7 and www.example.org/key-facts; user:pw@host"
    assert list(find_credentials(text)) == []


def test_a_url_inside_another_is_not_found_twice():
    text = "https://a:b@x.example/?next=https://y.example/?token=1"
    assert list(find_credentials(text)) == [(0, Found(login=True))]


def test_describe_names_the_kind_and_the_parameters_never_a_value():
    assert describe(Found(login=True)) == "a login (user:password@)"
    assert describe(Found(parameters=("token",))) == "the parameter 'token'"
    assert describe(Found(True, ("sig", "key"))) == "a login (user:password@) and the parameters 'sig', 'key'"


def test_mask_hides_logins_listed_values_and_hub_tokens_in_a_message():
    message = (
        "expected an http URL, got 'ftp://jdoe:s3cret@h.example/?token=abc123&id=7#sig=zz' "
        "(Authorization: Bearer hf_AbCdEf0123456789xyz, and my-own-token)"
    )
    assert mask(message, "my-own-token") == (
        "expected an http URL, got 'ftp://***@h.example/?token=***&id=7#sig=***' "
        "(Authorization: Bearer hf_***, and hf_***)"
    )


def test_mask_leaves_a_message_without_secrets_as_it_is():
    message = "expected an ISO date like 2014-10-06, got 'https://news.example/a?id=7&page=2'"
    assert mask(message) == message


def test_the_rule_names_every_listed_parameter():
    sentence = rule()
    assert all(f"`{name}`" in sentence for name in CREDENTIAL_PARAMETERS)
    assert "`user:password@`" in sentence


def test_the_tally_counts_urls_logins_and_parameters_never_values():
    tally = CredentialTally()
    for found in (Found(True, ("token",)), Found(), Found(False, ("token", "sig")), Found(True)):
        tally.add(found)
    report = tally.report()
    assert (report.urls, report.logins, report.parameters) == (3, 2, {"sig": 1, "token": 2})


def test_a_url_already_masked_holds_no_credential_but_one_half_masked_does():
    """A rejection quotes a bad value masked (``https://***@host/``): verify read that back as a login, and a
    build with --skip-invalid failed its own verify."""
    masked = mask("see https://jdoe:pw@example.com/a?token=abc&id=7 now")
    assert masked == "see https://***@example.com/a?token=***&id=7 now"
    assert list(find_credentials(masked)) == []
    assert [found for _, found in find_credentials("https://***@example.com/a?token=abc")] == [Found(True, ("token",))]
    assert [found for _, found in find_credentials("https://jdoe@example.com/a?token=***")] == [Found(True, ("token",))]
