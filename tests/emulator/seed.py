"""Deterministic data sets: `none` and `demo` (README.md lists what demo holds).

Built as plain dicts in one pass (no per-identity objects beyond a small dict),
so 100,000 identities take well under the 10 s budget.
"""
import random

ACCOUNT = "123456789012"
BASE_TIME = 1704067200.0  # 2024-01-01T00:00:00Z
USER_POOL = "cognito-idp.{region}.amazonaws.com/{region}_DemoPool1"
USER_POOL_CLIENT = "demoappclient1"

# Values that try to drive a terminal: the console must show them escaped.
ESCAPES = [
    "\x1b[2J\x1b[31mcleared-and-red",
    "ok\rOVERWRITTEN",
    "\u202egnp.exe",
    "\u2066isolated\u2069 text",
    "\x9b31mC1-CSI",
    "bell\x07",
    "\x1b]0;pwned-title\x07",
    "tab\there\nnewline",
    "\u200fRLM\u061cALM",
    "del\x7fchar",
]


def _hexid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def _role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _pool(rng, region, name, config, created):
    pid = f"{region}:{_hexid(rng)}"
    cfg = {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False}
    cfg.update(config)
    return {"IdentityPoolId": pid, "config": cfg, "tags": {}, "roles": {}, "role_mappings": {},
            "principal_tags": {}, "identities": {}, "created": created}


def _identities(rng, region, pool, n, shape):
    """shape(i) -> (logins dict provider -> [subjects], disabled)."""
    idents = pool["identities"]
    t0 = pool["created"]
    for i in range(n):
        iid = f"{region}:{_hexid(rng)}"
        logins, disabled = shape(i)
        created = round(t0 + 60 + i * 17.25, 3)
        idents[iid] = {"id": iid, "logins": logins, "created": created,
                       "modified": round(created + (i % 13) * 3600.5, 3), "disabled": disabled}


def demo(region="us-east-1", identities=10000):
    rng = random.Random(f"cognito-tui-demo:{region}")
    up = USER_POOL.format(region=region)
    pools = []

    big = _pool(rng, region, "big-pool", {
        "AllowUnauthenticatedIdentities": True, "AllowClassicFlow": False,
        "SupportedLoginProviders": {"graph.facebook.com": "7346241598935552", "accounts.google.com":
                                    "123456789012-demo.apps.googleusercontent.com"},
        "DeveloperProviderName": "login.demo.app",
        "CognitoIdentityProviders": [{"ProviderName": up, "ClientId": USER_POOL_CLIENT, "ServerSideTokenCheck": False}],
    }, BASE_TIME)
    big["tags"] = {"env": "demo", "team": "identity", "cost-center": "4711"}
    big["roles"] = {"authenticated": _role("Cognito_bigpoolAuth_Role"),
                    "unauthenticated": _role("Cognito_bigpoolUnauth_Role")}
    big["role_mappings"] = {
        f"{up}:{USER_POOL_CLIENT}": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"},
        "graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "email", "MatchType": "StartsWith", "Value": "admin", "RoleARN": _role("DemoAdmin")},
            {"Claim": "custom:tier", "MatchType": "Equals", "Value": "gold", "RoleARN": _role("DemoGold")},
            {"Claim": "custom:tier", "MatchType": "NotEqual", "Value": "banned", "RoleARN": _role("DemoReadOnly")},
        ]}},
    }
    big["principal_tags"] = {up: {"UseDefaults": False, "PrincipalTags": {"department": "custom:dept",
                                                                           "username": "sub"}}}

    def big_shape(i):
        k = i % 10
        if k < 4:
            logins = {}
        elif k < 6:
            logins = {"graph.facebook.com": [f"fb-{i}"]}
        elif k == 6:
            logins = {"accounts.google.com": [f"google-{i}"]}
        elif k == 7:
            logins = {"login.demo.app": [f"user-{i:06d}"]}
        elif k == 8:
            logins = {up: [f"sub-{i:06d}"]}
        else:
            logins = {"graph.facebook.com": [f"fb-{i}"], "accounts.google.com": [f"google-{i}"]}
        return logins, i % 97 == 13

    _identities(rng, region, big, identities, big_shape)
    pools.append(big)

    mobile = _pool(rng, region, "mobile-app", {
        "AllowUnauthenticatedIdentities": True,
        "SupportedLoginProviders": {"www.amazon.com": "amzn1.application.demo", "appleid.apple.com": "com.demo.mobile"},
        "DeveloperProviderName": "login.mobile.app",
    }, BASE_TIME + 86400)
    mobile["tags"] = {"env": "prod", "app": "mobile"}
    mobile["roles"] = {"authenticated": _role("MobileAuth"), "unauthenticated": _role("MobileGuestReadOnly")}
    mobile["role_mappings"] = {"www.amazon.com": {"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                                                  "RulesConfiguration": {"Rules": [
                                                      {"Claim": "aud", "MatchType": "Contains", "Value": "beta",
                                                       "RoleARN": _role("MobileBeta")}]}}}

    def mobile_shape(i):
        if i == 0:  # one user with many developer ids: LookupDeveloperIdentity pages
            return {"login.mobile.app": [f"device-{j:03d}" for j in range(75)]}, False
        if i % 3 == 0:
            return {"login.mobile.app": [f"dev-user-{i}"]}, i % 9 == 0
        if i % 3 == 1:
            return {"www.amazon.com": [f"amzn-{i}"], "login.mobile.app": [f"dev-user-{i}"]}, False
        return {"appleid.apple.com": [f"apple-{i}"]}, i % 7 == 2

    _identities(rng, region, mobile, 40, mobile_shape)
    pools.append(mobile)

    partner = _pool(rng, region, "partner-portal", {
        "OpenIdConnectProviderARNs": [f"arn:aws:iam::{ACCOUNT}:oidc-provider/login.partner.example.com"],
        "SamlProviderARNs": [f"arn:aws:iam::{ACCOUNT}:saml-provider/PartnerADFS"],
    }, BASE_TIME + 2 * 86400)
    partner["tags"] = {"owner": "partners", "data-class": "confidential"}
    partner["roles"] = {"authenticated": _role("PartnerAuth")}
    partner["role_mappings"] = {"login.partner.example.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}}
    _identities(rng, region, partner, 12, lambda i: ({"login.partner.example.com": [f"partner-{i}"]}, False))
    pools.append(partner)

    pools.append(_pool(rng, region, "empty-pool", {}, BASE_TIME + 3 * 86400))

    evil_provider = "evil\x1b[31m.example.com"
    esc = _pool(rng, region, "escape-tests", {
        "AllowUnauthenticatedIdentities": True,
        "SupportedLoginProviders": {evil_provider: "app\x1b[0m", "bidi\u202e.example.com": "rtl-app"},
        "DeveloperProviderName": "login.escape.app",
    }, BASE_TIME + 4 * 86400)
    esc["tags"] = {f"esc-{j}": v for j, v in enumerate(ESCAPES)}
    esc["tags"]["key\x1b[7m"] = "key with escape"
    esc["roles"] = {"authenticated": _role("EscapeAuth")}

    def esc_shape(i):
        v = ESCAPES[i % len(ESCAPES)]
        if i % 3 == 0:
            return {"login.escape.app": [f"dev-{i}-{v}"]}, False
        if i % 3 == 1:
            return {evil_provider: [f"user-{i}-{v}"]}, False
        return {"bidi\u202e.example.com": [f"rtl-{i}"]}, i == 5

    _identities(rng, region, esc, 2 * len(ESCAPES), esc_shape)
    esc["principal_tags"] = {evil_provider: {"UseDefaults": False, "PrincipalTags": {"tag\x1b[1m": "claim\r"}}}
    pools.append(esc)
    # The name pattern [\w\s+=,.@-]+ admits \r, \n, \t, \v and \f (Java's \s): a name that tries to
    # break a terminal line.
    pools.append(_pool(rng, region, "overwrite\rme\tpool\n", {}, BASE_TIME + 5 * 86400))
    return {"pools": pools}


def build(name, region="us-east-1", identities=10000):
    if name == "none":
        return {"pools": []}
    if name == "demo":
        return demo(region, identities)
    raise ValueError(f"unknown seed {name!r} (known: none, demo)")
